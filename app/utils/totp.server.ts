import { createTOTPKeyURI, verifyHOTP } from "@oslojs/otp";
import { renderSVG } from "uqr";
import { randomBytes } from "../../core/bytes";
import { randomToken } from "../../core/crypto/tokens";
import { totpKeyField } from "../../db/pii-columns";
import { spendTotpStep } from "../../db/queries/two-factor";
import { db } from "./db.server";
import { pii } from "./pii.server";

const PERIOD = 30;
const DIGITS = 6;

export const newTotpKey = () => randomBytes(20);
export const sealTotpKey = (userId: string, key: Uint8Array) =>
  pii().encrypt(Buffer.from(key).toString("base64"), totpKeyField(userId));
export const openTotpKey = async (userId: string, sealed: string) =>
  new Uint8Array(Buffer.from(await pii().decrypt(sealed, totpKeyField(userId)), "base64"));

export const totpUri = (email: string, key: Uint8Array) => createTOTPKeyURI("BVRAI", email, key, PERIOD, DIGITS);
export const totpQrSvg = (uri: string) => renderSVG(uri, { border: 2 });

/**
 * The 30-second step `code` belongs to, or null: the current step or one either side, for the
 * clock drift authenticator apps expect (RFC 6238 §5.2).
 */
export function totpStep(key: Uint8Array, code: string, now = Date.now()): number | null {
  const c = code.trim();
  if (!/^\d{6}$/.test(c)) return null;
  const current = Math.floor(now / 1000 / PERIOD);
  return [current - 1, current, current + 1].find((step) => verifyHOTP(key, BigInt(step), DIGITS, c)) ?? null;
}

/**
 * Checks a code from the user's authenticator and spends its step: a code is accepted once, and
 * never one for a step at or before the last accepted one (RFC 6238 §5.2), so a code seen over a
 * shoulder or in a proxy's log cannot be replayed within its window.
 */
export async function acceptTotp(userId: string, key: Uint8Array, code: string) {
  const step = totpStep(key, code);
  return step !== null && (await spendTotpStep(db(), { userId, step }));
}

/** Ten single-use codes like `k3j9a-x8m2q`, shown once. */
export const newRecoveryCodes = () =>
  Array.from({ length: 10 }, () =>
    randomToken(7)
      .slice(0, 10)
      .replace(/^(.{5})/, "$1-"),
  );
