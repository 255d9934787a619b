import { encodeBase64url, hmac, timingSafeEqual, utf8 } from "../bytes";

/** The header the edge adds to every request it forwards; the origin refuses requests without it. */
export const EDGE_SIGNATURE_HEADER = "x-bvrai-edge";
/** How old a forwarded request's signature may be: clocks differ a little; a captured header soon dies. */
export const EDGE_SIGNATURE_MAX_AGE_SECONDS = 60;

type Signed = { method: string; path: string; requestId: string };
const content = (t: number, r: Signed) => utf8(`${t}\n${r.method.toUpperCase()}\n${r.path}\n${r.requestId}`);

/** `t=<unix seconds>,v1=<base64url HMAC-SHA256 of time, method, path with query and request id>`. */
export async function signForOrigin(secret: string, r: Signed, now = Date.now()) {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${encodeBase64url(await hmac("SHA-256", secret, content(t, r)))}`;
}

/** True only for a fresh signature by `secret` over this very request; compared in constant time. */
export async function verifyFromEdge(secret: string, header: string | undefined, r: Signed, now = Date.now()) {
  const m = /^t=(\d{1,12}),v1=([A-Za-z0-9_-]{43})$/.exec(header ?? "");
  if (!m) return false;
  const t = Number(m[1]);
  if (Math.abs(now / 1000 - t) > EDGE_SIGNATURE_MAX_AGE_SECONDS) return false;
  const expected = encodeBase64url(await hmac("SHA-256", secret, content(t, r)));
  return timingSafeEqual(utf8(expected), utf8(m[2]!));
}
