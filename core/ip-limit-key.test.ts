import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ipLimitKey } from "./ip-limit-key";

const group = fc.integer({ min: 0, max: 0xffff });
const groups = fc.array(group, { minLength: 8, maxLength: 8 });
const isMapped = (g: number[]) => g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff;

/** One of the textual forms RFC 4291 §2.2 / RFC 5952 allow for the same eight groups. */
const spelling = fc.record({
  upper: fc.boolean(),
  pad: fc.boolean(),
  compress: fc.boolean(),
  zone: fc.boolean(),
  brackets: fc.boolean(),
});
function spell(g: number[], s: { upper: boolean; pad: boolean; compress: boolean; zone: boolean; brackets: boolean }) {
  let parts = g.map((x) => x.toString(16).padStart(s.pad ? 4 : 1, "0"));
  if (s.upper) parts = parts.map((p) => p.toUpperCase());
  let text = parts.join(":");
  if (s.compress) {
    // Compress the longest run of zero groups, as RFC 5952 §4.2 does.
    let best = { at: -1, len: 0 };
    for (let i = 0; i < 8; i++) {
      let len = 0;
      while (i + len < 8 && g[i + len] === 0) len++;
      if (len > best.len) best = { at: i, len };
    }
    if (best.len > 0) text = `${parts.slice(0, best.at).join(":")}::${parts.slice(best.at + best.len).join(":")}`;
  }
  if (s.zone) text += "%eth0";
  return s.brackets ? `[${text}]` : text;
}

describe("the per-address rate-limit key", () => {
  it("gives every address of one IPv6 /64 the same key, however it is written", () => {
    fc.assert(
      fc.property(groups, groups, spelling, spelling, (a, hostBits, sa, sb) => {
        const b = [...a.slice(0, 4), ...hostBits.slice(4)];
        fc.pre(!isMapped(a) && !isMapped(b));
        expect(ipLimitKey(spell(a, sa))).toBe(ipLimitKey(spell(b, sb)));
      }),
    );
  });

  it("gives different /64s different keys", () => {
    fc.assert(
      fc.property(groups, groups, spelling, spelling, (a, b, sa, sb) => {
        fc.pre(a.slice(0, 4).join() !== b.slice(0, 4).join() && !isMapped(a) && !isMapped(b));
        expect(ipLimitKey(spell(a, sa))).not.toBe(ipLimitKey(spell(b, sb)));
      }),
    );
  });

  it("counts an IPv4-mapped IPv6 address as the IPv4 address, in every spelling", () => {
    fc.assert(
      fc.property(fc.ipV4(), spelling, fc.boolean(), (v4, s, dotted) => {
        const o = v4.split(".").map(Number) as [number, number, number, number];
        const g = [0, 0, 0, 0, 0, 0xffff, (o[0] << 8) | o[1], (o[2] << 8) | o[3]];
        const text = dotted ? `${s.upper ? "::FFFF" : "::ffff"}:${v4}` : spell(g, s);
        expect(ipLimitKey(text)).toBe(v4);
        expect(ipLimitKey(v4)).toBe(v4);
      }),
    );
  });

  it("keys fast-check's own IPv6 spellings by a /64 (or the mapped IPv4), and never throws on any string", () => {
    const keyShape = /^([0-9a-f]{1,4}(:[0-9a-f]{1,4}){3}::\/64|\d{1,3}(\.\d{1,3}){3})$/;
    fc.assert(fc.property(fc.ipV6(), (ip) => keyShape.test(ipLimitKey(ip))));
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 300 }), (s) => ipLimitKey(s).length <= 64));
  });

  it("keeps the names used when there is no address, and refuses malformed spellings as addresses", () => {
    expect(ipLimitKey("local")).toBe("local");
    expect(ipLimitKey("unknown")).toBe("unknown");
    expect(ipLimitKey("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(ipLimitKey("2001:db8:1:2::")).toBe("2001:db8:1:2::/64");
    expect(ipLimitKey("::1")).toBe("0:0:0:0::/64");
    for (const bad of ["1:1.2.3.4::", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "1.2.3.256", "::ffff:1.2.3"])
      expect(ipLimitKey(bad)).toBe(bad);
  });
});
