import { and, eq, lt, sql } from "drizzle-orm";
import { idempotencyKeys } from "../schema";
import { type Db, withTenant } from "../tenant";

type Owner = { tenantId: string };
export type IdempotencyClaim = { kind: "new"; id: string } | { kind: "replay"; status: number; body: unknown } | { kind: "in_progress" } | { kind: "mismatch" };

/** Claims a key for a request, or says what an earlier request with the same key left. Keys live 24 hours. */
export function claimIdempotencyKey(db: Db, k: Owner & { key: string; requestHash: string }): Promise<IdempotencyClaim> {
  return withTenant(db, k.tenantId, async (tx) => {
    const mine = and(eq(idempotencyKeys.tenantId, k.tenantId), eq(idempotencyKeys.key, k.key));
    await tx.delete(idempotencyKeys).where(and(mine, lt(idempotencyKeys.createdAt, sql`now() - interval '24 hours'`)));
    const [fresh] = await tx.insert(idempotencyKeys).values({ tenantId: k.tenantId, key: k.key, requestHash: k.requestHash }).onConflictDoNothing().returning({ id: idempotencyKeys.id });
    if (fresh) return { kind: "new", id: fresh.id };
    const [seen] = await tx.select().from(idempotencyKeys).where(mine);
    if (!seen || seen.requestHash !== k.requestHash) return { kind: "mismatch" };
    if (seen.status == null) return { kind: "in_progress" };
    return { kind: "replay", status: seen.status, body: seen.body };
  });
}

export function saveIdempotentAnswer(db: Db, a: Owner & { id: string; status: number; body: unknown }) {
  return withTenant(db, a.tenantId, (tx) => tx.update(idempotencyKeys).set({ status: a.status, body: a.body }).where(and(eq(idempotencyKeys.id, a.id), eq(idempotencyKeys.tenantId, a.tenantId))));
}

/** The request failed on our side: the key is freed so the client's retry runs again. */
export function releaseIdempotencyKey(db: Db, a: Owner & { id: string }) {
  return withTenant(db, a.tenantId, (tx) => tx.delete(idempotencyKeys).where(and(eq(idempotencyKeys.id, a.id), eq(idempotencyKeys.tenantId, a.tenantId))));
}

/**
 * Removes answers older than 24 hours whose keys were never used again, tenant by tenant (each
 * tenant's rows are its own under RLS). Returns how many went. Run periodically by the jobs process.
 */
export async function sweepIdempotencyKeys(db: Db, tenantIds: string[]) {
  let removed = 0;
  for (const tenantId of tenantIds) {
    const rows = await withTenant(db, tenantId, (tx) =>
      tx.delete(idempotencyKeys).where(and(eq(idempotencyKeys.tenantId, tenantId), lt(idempotencyKeys.createdAt, sql`now() - interval '24 hours'`))).returning({ id: idempotencyKeys.id }),
    );
    removed += rows.length;
  }
  return removed;
}
