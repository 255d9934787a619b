import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { randomBytes, timingSafeEqual, utf8 } from "../bytes";

/** An unguessable token for a cookie, a link or a key: 160 bits, base32 (URL- and copy-safe). */
export const randomToken = (bytes = 20) => encodeBase32LowerCaseNoPadding(randomBytes(bytes));

/** What we store for a high-entropy token: its SHA-256, so a database leak yields nothing usable. */
export const sha256Hex = (value: string) => encodeHexLowerCase(sha256(utf8(value)));

export const hashesEqual = (a: string, b: string) => timingSafeEqual(utf8(a), utf8(b));

/** A short numeric code a person types from an email; 6 digits, uniformly drawn. */
export function randomDigits(length = 6) {
  let out = "";
  while (out.length < length) {
    const [byte] = randomBytes(1);
    if (byte! < 250) out += String(byte! % 10);
  }
  return out;
}
