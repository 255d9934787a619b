import { and, asc, eq } from "drizzle-orm";
import type { PiiCipher } from "../../core/crypto/pii";
import { piiField } from "../pii-columns";
import { type CredentialProvider, providerCredentials } from "../schema";
import { type Db, withTenant } from "../tenant";
import { type Actor, recordAudit } from "./audit";

const field = (tenantId: string) => piiField(tenantId, "provider_credentials", "api_key");

/** Sets (or replaces) the tenant's key for a provider; stored encrypted, shown only by its hint. */
export async function setProviderKey(
  db: Db,
  pii: PiiCipher,
  input: { tenantId: string; provider: CredentialProvider; apiKey: string; actor: Actor },
) {
  const sealed = await pii.encrypt(input.apiKey, field(input.tenantId));
  const hint = input.apiKey.slice(-4);
  return withTenant(db, input.tenantId, async (tx) => {
    await tx
      .insert(providerCredentials)
      .values({ tenantId: input.tenantId, provider: input.provider, apiKey: sealed, hint })
      .onConflictDoUpdate({
        target: [providerCredentials.tenantId, providerCredentials.provider],
        set: { apiKey: sealed, hint },
      });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "provider_key.set",
      metadata: { provider: input.provider },
    });
  });
}

export function listProviderKeys(db: Db, { tenantId }: { tenantId: string }) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({
        provider: providerCredentials.provider,
        hint: providerCredentials.hint,
        createdAt: providerCredentials.createdAt,
      })
      .from(providerCredentials)
      .where(eq(providerCredentials.tenantId, tenantId))
      .orderBy(asc(providerCredentials.provider)),
  );
}

export function removeProviderKey(
  db: Db,
  { tenantId, provider, actor }: { tenantId: string; provider: CredentialProvider; actor: Actor },
) {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .delete(providerCredentials)
      .where(and(eq(providerCredentials.tenantId, tenantId), eq(providerCredentials.provider, provider)))
      .returning({ id: providerCredentials.id });
    if (rows.length) await recordAudit(tx, { tenantId, actor, action: "provider_key.removed", metadata: { provider } });
    return rows.length > 0;
  });
}

/** The tenant's keys, decrypted, for the relay to build that tenant's providers with. */
export async function tenantProviderKeys(db: Db, pii: PiiCipher, tenantId: string) {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx.select().from(providerCredentials).where(eq(providerCredentials.tenantId, tenantId)),
  );
  const keys: Partial<Record<CredentialProvider, string>> = {};
  for (const r of rows) keys[r.provider] = await pii.decrypt(r.apiKey, field(tenantId));
  return keys;
}
