import { BlockList } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseIPv6, whyRefused } from "./addresses";

// The IANA IPv4 special-purpose registry (plus multicast and 240/4), written out again here as the
// test's own oracle: Node's BlockList, not the module's arithmetic, says what is inside.
const special4: [string, number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.31.196.0", 24],
  ["192.52.193.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["192.175.48.0", 24],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];
const oracle4 = new BlockList();
for (const [net, bits] of special4) oracle4.addSubnet(net, bits, "ipv4");

const dotted = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
const hex = (n: number) => n.toString(16);
const hi = (n: number) => hex(n >>> 16);
const lo = (n: number) => hex(n & 0xffff);
const net4 = (s: string) => s.split(".").reduce((n, p) => n * 256 + Number(p), 0);

/** Any address inside one of the special blocks. */
const special = fc
  .constantFrom(...special4)
  .chain(([net, bits]) => fc.integer({ min: 0, max: 2 ** (32 - bits) - 1 }).map((host) => (net4(net) + host) >>> 0));
const publicV4 = fc.integer({ min: 0, max: 2 ** 32 - 1 }).filter((n) => !oracle4.check(dotted(n), "ipv4"));
const group = fc.integer({ min: 0, max: 0xffff }).map(hex);

/** The same address written differently: upper case, groups padded to four digits. */
const restyle = (address: string, upper: boolean, pad: boolean) => {
  const padded = pad
    ? address.replace(/(^|:)([0-9a-f]{1,3})(?=:|$)/g, (_m, sep: string, g: string) => sep + g.padStart(4, "0"))
    : address;
  return upper ? padded.toUpperCase() : padded;
};

/** Every way to write an IPv4 address `a` inside an IPv6 one that a network might route to `a`. */
const embeddings = (a: number) =>
  fc.tuple(group, group, group, group, fc.boolean(), fc.boolean()).map(([g1, g2, g3, g4, upper, pad]) =>
    [
      `::ffff:${dotted(a)}`,
      `::ffff:${hi(a)}:${lo(a)}`,
      `0:0:0:0:0:ffff:${hi(a)}:${lo(a)}`,
      `::${dotted(a)}`,
      `::${hi(a)}:${lo(a)}`,
      `64:ff9b::${dotted(a)}`,
      `64:ff9b:0:0:0:0:${hi(a)}:${lo(a)}`,
      `64:ff9b:1:${g1}:${g2}::${dotted(a)}`,
      `64:ff9b:1:${hi(a)}:${lo(a)}::${g3}`,
      `2002:${hi(a)}:${lo(a)}:${g1}::${g2}`,
      `2002:${hi(a)}:${lo(a)}::`,
      // Teredo: server address in bits 32-63, the client's address XORed with all ones at the end.
      `2001:0:${g1}:${g2}:${g3}:${g4}:${hi(~a >>> 0)}:${lo(~a >>> 0)}`,
      `2001:0:${hi(a)}:${lo(a)}:${g3}:${g4}:${g1}:${g2}`,
    ].map((s) => restyle(s, upper, pad)),
  );

describe("which addresses a tenant's URL may reach", () => {
  it("refuses exactly the IPv4 special-purpose blocks", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (n) => (whyRefused(dotted(n)) !== null) === oracle4.check(dotted(n), "ipv4"),
      ),
    );
  });

  it("refuses every IPv6 embedding of a private or reserved IPv4 address", () => {
    fc.assert(
      fc.property(
        special.chain((a) => embeddings(a).map((forms) => ({ a, forms }))),
        ({ a, forms }) => {
          for (const form of forms) expect(whyRefused(form), `${form} (${dotted(a)})`).not.toBeNull();
        },
      ),
      { numRuns: 500 },
    );
  });

  it("judges mapped and NAT64 addresses by the IPv4 they carry, and refuses the tunnel forms whole", () => {
    fc.assert(
      fc.property(publicV4, (a) => {
        expect(whyRefused(`::ffff:${dotted(a)}`)).toBeNull();
        expect(whyRefused(`64:ff9b::${hi(a)}:${lo(a)}`)).toBeNull();
        for (const tunnel of [
          `2002:${hi(a)}:${lo(a)}::1`,
          `2001:0:4136:e378:8000:63bf:${hi(~a >>> 0)}:${lo(~a >>> 0)}`,
          `::${dotted(a)}`,
          `64:ff9b:1::${dotted(a)}`,
        ])
          expect(whyRefused(tunnel), tunnel).not.toBeNull();
      }),
    );
  });

  it("allows global unicast IPv6 and refuses what lies outside it", () => {
    const within = (prefix: bigint, bits: number) =>
      fc
        .bigInt({ min: 0n, max: (1n << BigInt(128 - bits)) - 1n })
        .map((host) => format((prefix << BigInt(128 - bits)) | host));
    // 2800::/5 holds no special block: every address in it is public.
    fc.assert(fc.property(within(0x2800n >> 11n, 5), (a) => whyRefused(a) === null));
    for (const [prefix, bits] of [
      [0xfcn >> 1n, 7],
      [0xfe8n >> 2n, 10],
      [0xffn, 8],
      [0x4n, 3],
      [0x2001_0db8n, 32],
      [0x3fff0n, 20],
    ] as const)
      fc.assert(fc.property(within(prefix, bits), (a) => whyRefused(a) !== null));
  });

  it("names the reason, reads zone ids and refuses what is not an address", () => {
    expect(whyRefused("127.0.0.1")).toBe("loopback");
    expect(whyRefused("169.254.169.254")).toBe("link-local");
    expect(whyRefused("64:ff9b::a00:1")).toBe("NAT64 private-use");
    expect(whyRefused("::ffff:7f00:1")).toBe("IPv4-mapped loopback");
    expect(whyRefused("2001:0:4136:e378:8000:63bf:3fff:fdd2")).toBe("Teredo");
    expect(whyRefused("fe80::1%eth0")).toBe("link-local");
    for (const a of ["8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::6810:84e5", "::ffff:8.8.8.8"])
      expect(whyRefused(a), a).toBeNull();
    for (const a of [
      "localhost",
      "",
      "1.2.3",
      "01.2.3.4",
      "1.2.3.256",
      "1::2::3",
      "1.2.3.4::",
      ":1",
      "12345::",
      "::1:2:3:4:5:6:7:8",
    ])
      expect(whyRefused(a), a).not.toBeNull();
  });

  it("parses IPv6 text as Node does", () => {
    fc.assert(
      fc.property(fc.ipV6(), (a) => {
        const ours = parseIPv6(a);
        const probe = new BlockList();
        probe.addAddress(a, "ipv6");
        expect(ours).not.toBeNull();
        expect(probe.check(format(ours!), "ipv6")).toBe(true);
      }),
    );
  });
});

function format(x: bigint) {
  return Array.from({ length: 8 }, (_, i) => ((x >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(":");
}
