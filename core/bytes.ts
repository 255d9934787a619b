import { decodeBase64, decodeBase64urlIgnorePadding, encodeBase64, encodeBase64urlNoPadding } from "@oslojs/encoding";

export const utf8 = (s: string) => new TextEncoder().encode(s);
export const fromUtf8 = (b: Uint8Array) => new TextDecoder().decode(b);
export {
  decodeBase64,
  decodeBase64urlIgnorePadding as decodeBase64url,
  encodeBase64,
  encodeBase64urlNoPadding as encodeBase64url,
};

export function randomBytes(n: number) {
  return crypto.getRandomValues(new Uint8Array(n));
}

/** The chunks of a stream as one array (`size`: their total length). */
export function concatBytes(chunks: Uint8Array[], size = chunks.reduce((n, c) => n + c.byteLength, 0)) {
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
export const toHex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
export const randomHex = (n: number) => toHex(randomBytes(n));

/** Compares two byte strings without an early exit, so timing reveals nothing but the length. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

export async function hmac(algorithm: "SHA-1" | "SHA-256", key: string | Uint8Array, data: Uint8Array<ArrayBuffer>) {
  const raw = typeof key === "string" ? utf8(key) : new Uint8Array(key);
  const k = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: algorithm }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, data));
}
