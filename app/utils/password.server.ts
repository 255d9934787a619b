import { hash, verify } from "@node-rs/argon2";
import commonPasswords from "fxa-common-password-list";
import { z } from "zod";

// argon2id with OWASP's minimum profile (19 MiB, 2 passes).
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, options);
export const verifyPassword = (passwordHash: string, password: string) =>
  verify(passwordHash, password).catch(() => false);

// Comparing against a real hash when the account does not exist keeps login timing uniform.
let dummy: Promise<string> | undefined;
export const dummyHash = () => (dummy ??= hashPassword("not-a-real-password-timing-pad"));

/** Mozilla's list of the most common passwords (from SecLists), checked as typed and lower-cased. */
export const isCommonPassword = (password: string) =>
  commonPasswords.test(password) || commonPasswords.test(password.toLowerCase());

/** NIST 800-63B: length, not composition rules; long passphrases welcome; no well-known passwords. */
export const newPassword = z
  .string()
  .min(8, "Use at least 8 characters")
  .max(128, "Use at most 128 characters")
  .refine((p) => !isCommonPassword(p), "This password is on a list of common passwords; choose another");
