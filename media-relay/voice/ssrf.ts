import { lookup } from "node:dns";
import { isIP } from "node:net";

/**
 * Tenant HTTP tools may call the internet, never us: loopback, private, link-local (cloud metadata),
 * carrier-grade NAT, multicast and unspecified addresses are refused. The check runs on the
 * addresses DNS returns, at connect time, so a name that resolves (or re-resolves) inward fails.
 */
export function isForbiddenAddress(address: string): boolean {
  if (isIP(address) === 6) {
    const a = address.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
    if (mapped) return isForbiddenAddress(mapped[1]!);
    return a === "::" || a === "::1" || /^f[cd]/.test(a) || /^fe[89ab]/.test(a) || a.startsWith("ff");
  }
  const [a, b] = address.split(".").map(Number) as [number, number];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

export class ForbiddenAddressError extends Error {}

/** A `lookup` for http.request that resolves, then refuses forbidden addresses (unless allowed). */
export function guardedLookup(allow: string[] = []) {
  return ((
    hostname: string,
    options: object,
    callback: (err: Error | null, address: string | { address: string; family: number }[], family?: number) => void,
  ) => {
    lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "");
      const list = addresses as { address: string; family: number }[];
      const bad = list.find((a) => isForbiddenAddress(a.address) && !allow.includes(a.address));
      if (bad)
        return callback(new ForbiddenAddressError(`refused: ${hostname} resolves to a private or local address`), "");
      if ((options as { all?: boolean }).all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  }) as unknown as typeof lookup;
}
