/**
 * Which addresses a tenant-chosen URL (webhook, HTTP tool) may reach: only public unicast ones
 * (docs/decisions/0027). Refused: every block of IANA's IPv4 and IPv6 special-purpose registries
 * (https://www.iana.org/assignments/iana-ipv4-special-registry/, …/iana-ipv6-special-registry/),
 * multicast, and IPv6 outside global unicast (2000::/3). The two forms that carry an IPv4 address
 * real networks translate (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96) are judged by that IPv4
 * address; the tunnel and deprecated forms (6to4, Teredo, IPv4-compatible) are refused whole.
 * Runtime-neutral: no node:net.
 */
type Block = { net: bigint; bits: number; name: string };

const v4Blocks: [string, number, string][] = [
  ["0.0.0.0", 8, "this network"],
  ["10.0.0.0", 8, "private-use"],
  ["100.64.0.0", 10, "shared (carrier-grade NAT)"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private-use"],
  ["192.0.0.0", 24, "IETF protocol assignments"],
  ["192.0.2.0", 24, "documentation"],
  ["192.31.196.0", 24, "AS112"],
  ["192.52.193.0", 24, "AMT"],
  ["192.88.99.0", 24, "6to4 relay anycast"],
  ["192.168.0.0", 16, "private-use"],
  ["192.175.48.0", 24, "AS112 direct delegation"],
  ["198.18.0.0", 15, "benchmarking"],
  ["198.51.100.0", 24, "documentation"],
  ["203.0.113.0", 24, "documentation"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved or broadcast"],
];
// More specific blocks first, so the reason names the narrowest one.
const v6Blocks: [string, number, string][] = [
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  ["::", 96, "IPv4-compatible (deprecated)"],
  ["64:ff9b:1::", 48, "local-use IPv4/IPv6 translation"],
  ["100::", 64, "discard-only"],
  ["100:0:0:1::", 64, "dummy prefix"],
  ["2001::", 32, "Teredo"],
  ["2001::", 23, "IETF protocol assignments"],
  ["2001:db8::", 32, "documentation"],
  ["2002::", 16, "6to4"],
  ["2620:4f:8000::", 48, "AS112 direct delegation"],
  ["3fff::", 20, "documentation"],
  ["5f00::", 16, "segment routing"],
  ["fc00::", 7, "unique local"],
  ["fe80::", 10, "link-local"],
  ["fec0::", 10, "site-local (deprecated)"],
  ["ff00::", 8, "multicast"],
];

/** a.b.c.d with each part 0-255 in plain decimal (what DNS and the URL parser hand over), else null. */
export function parseIPv4(s: string): number | null {
  const parts = s.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return null;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** Any textual IPv6 form (RFC 4291 §2.2, with an IPv4 tail; a zone id is dropped), as 128 bits; else null. */
export function parseIPv6(s: string): bigint | null {
  const text = s.replace(/%[^%]*$/, "");
  if (!/^[0-9a-fA-F:.]{2,45}$/.test(text)) return null;
  const halves = text.split("::");
  // An IPv4 tail may only end the address.
  if (halves.length > 2 || (halves.length === 2 && halves[0]!.includes("."))) return null;
  const groups = (part: string) => {
    if (part === "") return [] as number[];
    const out: number[] = [];
    const pieces = part.split(":");
    for (const [i, p] of pieces.entries()) {
      if (i === pieces.length - 1 && p.includes(".")) {
        const v4 = parseIPv4(p);
        if (v4 === null) return null;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(Number.parseInt(p, 16));
      else return null;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  return [...head, ...Array(halves.length === 2 ? missing : 0).fill(0), ...tail].reduce(
    (n: bigint, g: number) => (n << 16n) | BigInt(g),
    0n,
  );
}

const v4 = v4Blocks.map(([net, bits, name]): Block => ({ net: BigInt(parseIPv4(net)!), bits, name }));
const v6 = v6Blocks.map(([net, bits, name]): Block => ({ net: parseIPv6(net)!, bits, name }));
const inBlock = (value: bigint, total: number, b: Block) =>
  value >> BigInt(total - b.bits) === b.net >> BigInt(total - b.bits);
const named = (value: bigint, total: number, list: Block[]) => list.find((b) => inBlock(value, total, b))?.name ?? null;

const MAPPED = parseIPv6("::ffff:0:0")!;
const NAT64 = parseIPv6("64:ff9b::")!;
const top96 = (x: bigint) => x >> 32n;

/**
 * Why a tenant's URL may not reach `address` ("loopback", "NAT64 of private-use", …), or null when
 * it is a public unicast address. Anything that is not an IP address is refused.
 */
export function whyRefused(address: string): string | null {
  const four = parseIPv4(address);
  if (four !== null) return named(BigInt(four), 32, v4);
  const six = parseIPv6(address);
  if (six === null) return "not an IP address";
  const embedded = six & 0xffffffffn;
  if (top96(six) === top96(MAPPED)) return prefixed("IPv4-mapped", named(embedded, 32, v4));
  if (top96(six) === top96(NAT64)) return prefixed("NAT64", named(embedded, 32, v4));
  const special = named(six, 128, v6);
  if (special) return special;
  return six >> 125n === 1n ? null : "outside global unicast";
}

const prefixed = (form: string, reason: string | null) => (reason ? `${form} ${reason}` : null);
