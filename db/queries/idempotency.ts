import { and, eq, lt, sql } from "drizzle-orm";
import type { PiiCipher } from "../../core/crypto/pii";
import { piiField } from "../pii-columns";
import { idempotencyKeys } from "../schema";
import { type Db, withTenant } from "../tenant";

type Owner = { tenantId: string };
/** Whose key it is: the API key that sent the request, within its tenant. */
type KeyOwner = Owner & { apiKeyId: string };
export type IdempotencyClaim =
  | { kind: "new"; id: string }
  | { kind: "replay"; status: number; body: unknown }
  | { kind: "in_progress" }
  | { kind: "mismatch" };

const answerField = (tenantId: string) => piiField(tenantId, "idempotency_keys", "body");

/**
 * Claims a key for a request of one API key, or says what that key's earlier request with the same
 * Idempotency-Key left. Another API key, even of the same tenant, never sees it. Keys live 24 hours.
 */
export function claimIdempotencyKey(
  db: Db,
  pii: PiiCipher,
  k: KeyOwner & { key: string; requestHash: string },
): Promise<IdempotencyClaim> {
  return withTenant(db, k.tenantId, async (tx) => {
    const mine = and(
      eq(idempotencyKeys.tenantId, k.tenantId),
      eq(idempotencyKeys.apiKeyId, k.apiKeyId),
      eq(idempotencyKeys.key, k.key),
    );
    await tx.delete(idempotencyKeys).where(and(mine, lt(idempotencyKeys.createdAt, sql`now() - interval '24 hours'`)));
    const [fresh] = await tx
      .insert(idempotencyKeys)
      .values({ tenantId: k.tenantId, apiKeyId: k.apiKeyId, key: k.key, requestHash: k.requestHash })
      .onConflictDoNothing()
      .returning({ id: idempotencyKeys.id });
    if (fresh) return { kind: "new", id: fresh.id };
    const [seen] = await tx.select().from(idempotencyKeys).where(mine);
    if (!seen || seen.requestHash !== k.requestHash) return { kind: "mismatch" };
    if (seen.status == null) return { kind: "in_progress" };
    const body = seen.body == null ? null : JSON.parse(await pii.decrypt(seen.body, answerField(k.tenantId)));
    return { kind: "replay", status: seen.status, body };
  });
}

/** Keeps the answer, encrypted: answers carry signing secrets (webhooks) and phone numbers (calls). */
export async function saveIdempotentAnswer(
  db: Db,
  pii: PiiCipher,
  a: Owner & { id: string; status: number; body: unknown },
) {
  const sealed = a.body == null ? null : await pii.encrypt(JSON.stringify(a.body), answerField(a.tenantId));
  return withTenant(db, a.tenantId, (tx) =>
    tx
      .update(idempotencyKeys)
      .set({ status: a.status, body: sealed })
      .where(and(eq(idempotencyKeys.id, a.id), eq(idempotencyKeys.tenantId, a.tenantId))),
  );
}

/** The request failed on our side: the key is freed so the client's retry runs again. */
export function releaseIdempotencyKey(db: Db, a: Owner & { id: string }) {
  return withTenant(db, a.tenantId, (tx) =>
    tx.delete(idempotencyKeys).where(and(eq(idempotencyKeys.id, a.id), eq(idempotencyKeys.tenantId, a.tenantId))),
  );
}

/**
 * Removes answers older than 24 hours whose keys were never used again, tenant by tenant (each
 * tenant's rows are its own under RLS). Returns how many went. Run periodically by the jobs process.
 */
export async function sweepIdempotencyKeys(db: Db, tenantIds: string[]) {
  let removed = 0;
  for (const tenantId of tenantIds) {
    const rows = await withTenant(db, tenantId, (tx) =>
      tx
        .delete(idempotencyKeys)
        .where(
          and(eq(idempotencyKeys.tenantId, tenantId), lt(idempotencyKeys.createdAt, sql`now() - interval '24 hours'`)),
        )
        .returning({ id: idempotencyKeys.id }),
    );
    removed += rows.length;
  }
  return removed;
}
