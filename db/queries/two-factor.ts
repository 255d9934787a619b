import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { hashesEqual, sha256Hex } from "../../core/crypto/tokens";
import { recoveryCodes, users } from "../schema";
import type { Db } from "../tenant";

/** Enrolment step one: a new (encrypted) key is stored, not yet enabled, until a code proves it. */
export const startTwoFactorEnrolment = (db: Db, input: { userId: string; encryptedKey: string }) =>
  db
    .update(users)
    .set({ totpKey: input.encryptedKey })
    .where(and(eq(users.id, input.userId), isNull(users.totpEnabledAt)));

/** Step two: the pending key is switched on, with a fresh set of recovery codes. */
export function enableTwoFactor(db: Db, input: { userId: string; recoveryCodes: string[] }) {
  return db.transaction(async (tx) => {
    await tx.update(users).set({ totpEnabledAt: sql`now()` }).where(eq(users.id, input.userId));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, input.userId));
    await tx
      .insert(recoveryCodes)
      .values(
        input.recoveryCodes.map((c) => ({ userId: input.userId, codeHash: sha256Hex(normalizeRecoveryCode(c)) })),
      );
  });
}

export function disableTwoFactor(db: Db, userId: string) {
  return db.transaction(async (tx) => {
    await tx.update(users).set({ totpKey: null, totpEnabledAt: null, totpLastStep: null }).where(eq(users.id, userId));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  });
}

export const normalizeRecoveryCode = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Spends one recovery code; each works once. */
export function spendRecoveryCode(db: Db, input: { userId: string; code: string }) {
  const hash = sha256Hex(normalizeRecoveryCode(input.code));
  return db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(recoveryCodes)
      .where(and(eq(recoveryCodes.userId, input.userId), isNull(recoveryCodes.usedAt)))
      .for("update");
    const match = rows.find((r) => hashesEqual(r.codeHash, hash));
    if (!match) return false;
    await tx.update(recoveryCodes).set({ usedAt: sql`now()` }).where(eq(recoveryCodes.id, match.id));
    return true;
  });
}

export async function remainingRecoveryCodes(db: Db, userId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return row?.n ?? 0;
}

/**
 * Records `step` as the newest one a TOTP code was accepted for, if it is newer than the last: one
 * conditional update, so of two requests with the same code only one gets `true`.
 */
export async function spendTotpStep(db: Db, input: { userId: string; step: number }) {
  const rows = await db
    .update(users)
    .set({ totpLastStep: input.step })
    .where(and(eq(users.id, input.userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, input.step))))
    .returning({ id: users.id });
  return rows.length === 1;
}
