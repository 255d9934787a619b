import { encodeBase64url, hmac, timingSafeEqual, utf8 } from "../bytes";

/** The header the edge adds to every request it forwards; the origin refuses requests without it. */
export const EDGE_SIGNATURE_HEADER = "x-bvrai-edge";
/** How old a forwarded request's signature may be: clocks differ a little; a captured header soon dies. */
export const EDGE_SIGNATURE_MAX_AGE_SECONDS = 60;

/** What is signed: the request line's method and path with query, the request id, and the body's bytes exactly. */
type Signed = { method: string; path: string; requestId: string; body: Uint8Array };

async function content(t: number, r: Signed, version: "v1" | "v2" = "v2") {
  const line = `${t}\n${r.method.toUpperCase()}\n${r.path}\n${r.requestId}`;
  if (version === "v1") return utf8(line);
  const digest = encodeBase64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(r.body))));
  return utf8(`${line}\n${digest}`);
}

/**
 * `t=<unix seconds>,v2=<base64url HMAC-SHA256 of time, method, path with query, request id and the
 * body's SHA-256>` (docs/decisions/0023; `v1` signed no body, so a body could be swapped under it).
 */
export async function signForOrigin(secret: string, r: Signed, now = Date.now()) {
  const t = Math.floor(now / 1000);
  return `t=${t},v2=${encodeBase64url(await hmac("SHA-256", secret, await content(t, r)))}`;
}

/** Until when the older `v1` (no body digest) is still taken: only while a deploy rolls out (docs/decisions/0023). */
type Accept = { v1Until?: Date };

/** The header's time and version when it is well formed and fresh: checked before the origin reads a body. */
export function freshEdgeHeader(header: string | undefined, now = Date.now(), accept: Accept = {}) {
  const m = /^t=(\d{1,12}),(v1|v2)=([A-Za-z0-9_-]{43})$/.exec(header ?? "");
  if (!m || Math.abs(now / 1000 - Number(m[1])) > EDGE_SIGNATURE_MAX_AGE_SECONDS) return null;
  if (m[2] === "v1" && !(accept.v1Until && now < accept.v1Until.getTime())) return null;
  return { t: Number(m[1]), version: m[2] as "v1" | "v2", mac: m[3]! };
}

/** True only for a fresh signature by `secret` over this very request and body; compared in constant time. */
export async function verifyFromEdge(
  secret: string,
  header: string | undefined,
  r: Signed,
  now = Date.now(),
  accept: Accept = {},
) {
  const fresh = freshEdgeHeader(header, now, accept);
  if (!fresh) return false;
  const expected = encodeBase64url(await hmac("SHA-256", secret, await content(fresh.t, r, fresh.version)));
  return timingSafeEqual(utf8(expected), utf8(fresh.mac));
}
