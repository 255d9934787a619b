import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/** Addresses a tenant's webhook may never reach: our own machine, private networks, cloud metadata. */
const blocked4 = new BlockList();
const blocked6 = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) blocked4.addSubnet(net, bits, "ipv4");
// IPv4-mapped and NAT64 addresses are refused whole: either could lead back into the ranges above.
for (const [net, bits] of [["::", 128], ["::1", 128], ["::ffff:0:0", 96], ["64:ff9b::", 96], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8]] as const)
  blocked6.addSubnet(net, bits, "ipv6");

export class DestinationError extends Error {
  override name = "DestinationError";
  /** The same without the host name, for what is stored in clear (the URL itself is encrypted). */
  constructor(
    message: string,
    readonly withoutHost: string = message,
  ) {
    super(message);
  }
}

// Two lists: one BlockList would match every IPv4 address against the mapped range ::ffff:0:0/96.
export const isPrivateAddress = (address: string) => (isIP(address) === 6 ? blocked6.check(address, "ipv6") : blocked4.check(address, "ipv4"));

export type Destination = { url: URL; address: string; family: 4 | 6 };

/**
 * Resolves a webhook URL and refuses it when any of its addresses is private, loopback or
 * link-local. The caller connects to the address checked here, not to a second lookup, so a
 * DNS answer that changes in between (rebinding) cannot slip past.
 */
export async function resolveDestination(raw: string, { allowPrivate }: { allowPrivate: boolean }): Promise<Destination> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DestinationError("is not a valid URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new DestinationError("must be an http or https URL");
  if (url.username || url.password) throw new DestinationError("must not carry a user name or password");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = await lookup(host, { all: true, verbatim: true }).catch(() => {
    throw new DestinationError(`${host} does not resolve`, "the host does not resolve");
  });
  const refused = addresses.find((a) => isPrivateAddress(a.address));
  if (refused && !allowPrivate) throw new DestinationError(`${host} resolves to ${refused.address}, a private, loopback or link-local address`, `the host resolves to ${refused.address}, a private, loopback or link-local address`);
  const first = addresses[0];
  if (!first) throw new DestinationError(`${host} does not resolve`, "the host does not resolve");
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
