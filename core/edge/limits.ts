/**
 * What the edge forwards to the origin, at most (docs/decisions/0023). Checked at the edge before
 * anything is read or sent, so a request the origin would refuse gets a clear 4xx from the edge,
 * not a dropped connection reported as an outage.
 */

/**
 * The largest request body: the portal's largest legitimate post is pasted knowledge text,
 * 1,000,000 characters form-encoded, at worst 9 bytes a character (`%E3%81%82`); a 5 MB document
 * upload fits well within it. The origin takes the same.
 */
export const MAX_FORWARDED_BODY_BYTES = 10 * 1024 * 1024;

/** The origin's (Node's) limit on a request line and headers together; app/server/main.ts sets it. */
export const ORIGIN_MAX_HEADER_BYTES = 16 * 1024;

/** A path and query longer than this get 414 (Cloudflare allows 16 KB; no page of ours needs 2). */
export const MAX_FORWARDED_TARGET_BYTES = 8 * 1024;

/** The request line and headers as the origin will count them, with room for what is added after (the signature, Host, Content-Length). */
export function headBytes(method: string, path: string, headers: Headers) {
  let n = method.length + path.length + 11; // " " + " HTTP/1.1\r\n"
  for (const [k, v] of headers) n += k.length + v.length + 4;
  return n + 512;
}
