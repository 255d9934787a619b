import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { type ApiScope, generateApiKey, hashApiKey, isApiKeyFormat } from "../../core/crypto/api-key";
import { hashesEqual } from "../../core/crypto/tokens";
import { apiKeys, tenants } from "../schema";
import { type Db, type Tx, withApiKeyHash, withTenant } from "../tenant";
import { type Actor, recordAudit } from "./audit";

/** Creates a key and returns it in full, the only time it is ever available. */
export function createApiKey(db: Db, input: { tenantId: string; name: string; scopes: ApiScope[]; actor: Actor }) {
  const { key, prefix, hash } = generateApiKey();
  return withTenant(db, input.tenantId, async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        tenantId: input.tenantId,
        name: input.name,
        prefix,
        keyHash: hash,
        scopes: input.scopes,
        createdByUserId: input.actor.userId,
      })
      .returning({ id: apiKeys.id });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "api_key.created",
      target: { type: "api_key", id: row!.id },
      metadata: { name: input.name, prefix, scopes: input.scopes },
    });
    return { id: row!.id, key, prefix };
  });
}

export function listApiKeys(db: Db, { tenantId }: { tenantId: string }) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: apiKeys.id,
        name: apiKeys.name,
        prefix: apiKeys.prefix,
        scopes: apiKeys.scopes,
        createdAt: apiKeys.createdAt,
        lastUsedAt: apiKeys.lastUsedAt,
      })
      .from(apiKeys)
      .where(and(eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt)))
      .orderBy(desc(apiKeys.createdAt)),
  );
}

export async function getApiKey(db: Db, { id, tenantId }: { id: string; tenantId: string }) {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, scopes: apiKeys.scopes })
      .from(apiKeys)
      .where(and(eq(apiKeys.id, id), eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt))),
  );
  return row ?? null;
}

export function revokeApiKey(db: Db, { id, tenantId, actor }: { id: string; tenantId: string; actor: Actor }) {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, prefix: apiKeys.prefix });
    if (rows[0])
      await recordAudit(tx, {
        tenantId,
        actor,
        action: "api_key.revoked",
        target: { type: "api_key", id },
        metadata: { prefix: rows[0].prefix },
      });
    return rows.length > 0;
  });
}

/**
 * Revokes every live key `userId` made in the tenant, inside the caller's transaction (the one that
 * removes or demotes them), each audited with the reason. Returns how many.
 */
export async function revokeKeysMadeBy(
  tx: Tx,
  {
    tenantId,
    userId,
    actor,
    reason,
  }: { tenantId: string; userId: string; actor: Actor; reason: "creator_removed" | "creator_role_lowered" },
) {
  const rows = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.createdByUserId, userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id, prefix: apiKeys.prefix });
  for (const r of rows)
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "api_key.revoked",
      target: { type: "api_key", id: r.id },
      metadata: { prefix: r.prefix, reason },
    });
  return rows.length;
}

export type VerifiedKey = { id: string; tenantId: string; scopes: ApiScope[] };

/**
 * Authenticates a presented key: found by its hash through a policy that opens only that row,
 * compared in constant time, refused if revoked. `last_used_at` moves at most once a minute.
 */
export async function verifyApiKey(db: Db, presented: string): Promise<VerifiedKey | null> {
  if (!isApiKeyFormat(presented)) return null;
  const hash = hashApiKey(presented);
  const row = await withApiKeyHash(db, hash, async (tx) => {
    const [found] = await tx.select().from(apiKeys).where(eq(apiKeys.keyHash, hash));
    return found;
  });
  if (!row || !hashesEqual(row.keyHash, hash) || row.revokedAt) return null;
  await withTenant(db, row.tenantId, (tx) =>
    tx
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(
        and(
          eq(apiKeys.id, row.id),
          or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`)),
        ),
      ),
  );
  return { id: row.id, tenantId: row.tenantId, scopes: row.scopes as ApiScope[] };
}

/**
 * The edge's read of a presented key, for its rate limits: owner and plan, nothing written (the
 * origin authenticates again and records use). Null for an unknown or revoked key.
 */
export async function apiKeyOwner(db: Db, presented: string) {
  if (!isApiKeyFormat(presented)) return null;
  const hash = hashApiKey(presented);
  const row = await withApiKeyHash(
    db,
    hash,
    async (tx) =>
      (
        await tx
          .select({
            id: apiKeys.id,
            tenantId: apiKeys.tenantId,
            keyHash: apiKeys.keyHash,
            revokedAt: apiKeys.revokedAt,
          })
          .from(apiKeys)
          .where(eq(apiKeys.keyHash, hash))
      )[0],
  );
  if (!row || !hashesEqual(row.keyHash, hash) || row.revokedAt) return null;
  const [tenant] = await withTenant(db, row.tenantId, (tx) =>
    tx.select({ plan: tenants.plan }).from(tenants).where(eq(tenants.id, row.tenantId)),
  );
  return { keyId: row.id, tenantId: row.tenantId, plan: tenant?.plan ?? "trial" };
}
