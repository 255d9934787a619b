/**
 * The key a per-address rate limit counts a client under. An IPv6 client is handed a whole /64
 * (one subnet; RFC 6177 / RFC 7421), so counting full addresses gives it 2^64 fresh budgets: IPv6
 * counts by its /64. An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, what a dual-stack socket
 * reports for an IPv4 peer) counts as that IPv4 address. Anything else (`local`, `unknown`) is its
 * own key, cut to a bounded length. Runs in linear time on any input.
 */
export function ipLimitKey(address: string): string {
  const text = address.trim();
  const v4 = parseIpv4(text);
  if (v4) return v4.join(".");
  const v6 = parseIpv6(text);
  if (!v6) return text.slice(0, 64);
  if (v6.slice(0, 5).every((g) => g === 0) && v6[5] === 0xffff)
    return [v6[6]! >> 8, v6[6]! & 0xff, v6[7]! >> 8, v6[7]! & 0xff].join(".");
  return `${v6
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseIpv4(text: string): number[] | null {
  const m = ipv4.exec(text);
  if (!m) return null;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

/** The eight 16-bit groups of an IPv6 address (brackets and a zone id allowed), or null. */
function parseIpv6(input: string): number[] | null {
  let text = input.startsWith("[") && input.endsWith("]") ? input.slice(1, -1) : input;
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  if (text.length > 45 || !text.includes(":")) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groupsOf = (part: string) => (part === "" ? [] : part.split(":"));
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  const all = [...head, ...tail];
  // A dotted IPv4 may stand for the last two groups.
  const last = all.at(-1);
  const embedded = last?.includes(".") ? parseIpv4(last) : null;
  // …and only at the very end: `1::1.2.3.4` is an address, `1:1.2.3.4::` is not.
  if (last?.includes(".") && (!embedded || (halves.length === 2 && tail.length === 0))) return null;
  const words: number[] = [];
  for (const [i, g] of all.entries()) {
    if (embedded && i === all.length - 1)
      words.push((embedded[0]! << 8) | embedded[1]!, (embedded[2]! << 8) | embedded[3]!);
    else if (/^[0-9a-fA-F]{1,4}$/.test(g)) words.push(Number.parseInt(g, 16));
    else return null;
  }
  if (halves.length === 1) return words.length === 8 ? words : null;
  if (words.length > 7) return null;
  return [...words.slice(0, head.length), ...new Array<number>(8 - words.length).fill(0), ...words.slice(head.length)];
}
