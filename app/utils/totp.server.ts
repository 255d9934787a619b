import { createTOTPKeyURI, verifyTOTPWithGracePeriod } from "@oslojs/otp";
import { renderSVG } from "uqr";
import { randomBytes } from "../../core/bytes";
import { randomToken } from "../../core/crypto/tokens";
import { totpKeyField } from "../../db/pii-columns";
import { pii } from "./pii.server";

const PERIOD = 30;
const DIGITS = 6;

export const newTotpKey = () => randomBytes(20);
export const sealTotpKey = (userId: string, key: Uint8Array) => pii.encrypt(Buffer.from(key).toString("base64"), totpKeyField(userId));
export const openTotpKey = async (userId: string, sealed: string) => new Uint8Array(Buffer.from(await pii.decrypt(sealed, totpKeyField(userId)), "base64"));

export const totpUri = (email: string, key: Uint8Array) => createTOTPKeyURI("BVRAI", email, key, PERIOD, DIGITS);
export const totpQrSvg = (uri: string) => renderSVG(uri, { border: 2 });

/** One step of clock drift either way is accepted, as authenticator apps expect. */
export const verifyTotp = (key: Uint8Array, code: string) => /^\d{6}$/.test(code.trim()) && verifyTOTPWithGracePeriod(key, PERIOD, DIGITS, code.trim(), PERIOD);

/** Ten single-use codes like `k3j9a-x8m2q`, shown once. */
export const newRecoveryCodes = () => Array.from({ length: 10 }, () => randomToken(7).slice(0, 10).replace(/^(.{5})/, "$1-"));
