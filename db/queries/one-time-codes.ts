import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { hashesEqual, randomDigits, randomToken, sha256Hex } from "../../core/crypto/tokens";
import { type OneTimeCodePurpose, oneTimeCodes } from "../schema";
import type { Db } from "../tenant";

export const CODE_LIFETIME_MS = 10 * 60_000;
export const CODE_MAX_ATTEMPTS = 5;

const unused = (userId: string, purpose: OneTimeCodePurpose) =>
  and(eq(oneTimeCodes.userId, userId), eq(oneTimeCodes.purpose, purpose), isNull(oneTimeCodes.usedAt));

async function issue(
  db: Db,
  input: { userId: string; purpose: OneTimeCodePurpose; email: string },
  secret: (id: string) => { shown: string; hash: string },
) {
  return db.transaction(async (tx) => {
    // A new code replaces any earlier one: only the latest email works.
    await tx.update(oneTimeCodes).set({ usedAt: sql`now()` }).where(unused(input.userId, input.purpose));
    const id = crypto.randomUUID();
    const { shown, hash } = secret(id);
    await tx
      .insert(oneTimeCodes)
      .values({ id, ...input, codeHash: hash, expiresAt: new Date(Date.now() + CODE_LIFETIME_MS) });
    return shown;
  });
}

/** A 6-digit code for a signed-in user to type (email verification, email change). */
export function issueCode(db: Db, input: { userId: string; purpose: "verify_email" | "change_email"; email: string }) {
  return issue(db, input, (id) => {
    const code = randomDigits(6);
    return { shown: code, hash: sha256Hex(`${id}:${code}`) };
  });
}

/** Link tokens, for someone not signed in: a password reset, or a sign-in that needs the mailbox's confirmation. */
export type LinkPurpose = "reset_password" | "sign_in";

/** A link token for someone not signed in: long enough to need no attempt count. */
export function issueLinkToken(db: Db, input: { userId: string; purpose: LinkPurpose; email: string }) {
  return issue(db, input, () => {
    const token = randomToken();
    return { shown: token, hash: sha256Hex(token) };
  });
}

export type CodeResult = { ok: true; email: string } | { ok: false; reason: "invalid" | "expired" };

/** Checks a typed code; a wrong guess counts, and after five the code is dead. */
export function consumeCode(
  db: Db,
  input: { userId: string; purpose: "verify_email" | "change_email"; code: string },
): Promise<CodeResult> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(oneTimeCodes)
      .where(unused(input.userId, input.purpose))
      .orderBy(desc(oneTimeCodes.createdAt))
      .limit(1)
      .for("update");
    if (!row || row.expiresAt.getTime() <= Date.now() || row.attempts >= CODE_MAX_ATTEMPTS)
      return { ok: false, reason: "expired" };
    if (!hashesEqual(sha256Hex(`${row.id}:${input.code.trim()}`), row.codeHash)) {
      await tx
        .update(oneTimeCodes)
        .set({ attempts: sql`${oneTimeCodes.attempts} + 1` })
        .where(eq(oneTimeCodes.id, row.id));
      return { ok: false, reason: "invalid" };
    }
    await tx.update(oneTimeCodes).set({ usedAt: sql`now()` }).where(eq(oneTimeCodes.id, row.id));
    return { ok: true, email: row.email };
  });
}

/** The unused, unexpired link token for `purpose` whose hash matches. */
const liveLinkToken = (input: { purpose: LinkPurpose; token: string }) =>
  and(
    eq(oneTimeCodes.codeHash, sha256Hex(input.token)),
    eq(oneTimeCodes.purpose, input.purpose),
    isNull(oneTimeCodes.usedAt),
    gt(oneTimeCodes.expiresAt, sql`now()`),
  );

/** Spends a link token; null if unknown, used or expired. */
export async function consumeLinkToken(db: Db, input: { purpose: LinkPurpose; token: string }) {
  const [row] = await db
    .update(oneTimeCodes)
    .set({ usedAt: sql`now()` })
    .where(liveLinkToken(input))
    .returning({ userId: oneTimeCodes.userId, email: oneTimeCodes.email });
  return row ?? null;
}

/** Whether a link token is still good, without spending it (to show its form). */
export async function peekLinkToken(db: Db, input: { purpose: LinkPurpose; token: string }) {
  const [row] = await db.select({ id: oneTimeCodes.id }).from(oneTimeCodes).where(liveLinkToken(input));
  return Boolean(row);
}
