import { and, desc, eq } from "drizzle-orm";
import type { PiiCipher } from "../../core/crypto/pii";
import { randomToken } from "../../core/crypto/tokens";
import { piiField } from "../pii-columns";
import { webhookEndpoints } from "../schema";
import { type Db, withTenant } from "../tenant";
import { type Actor, recordAudit } from "./audit";

/** Registers an endpoint; its URL and signing secret are stored encrypted. */
export async function createWebhookEndpoint(db: Db, pii: PiiCipher, input: { tenantId: string; url: string; events: string[]; actor: Actor }) {
  const secret = `whsec_${randomToken(24)}`;
  const { tenantId } = input;
  const url = await pii.encrypt(input.url, piiField(tenantId, "webhook_endpoints", "url"));
  const sealedSecret = await pii.encrypt(secret, piiField(tenantId, "webhook_endpoints", "secret"));
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx.insert(webhookEndpoints).values({ tenantId, url, secret: sealedSecret, events: input.events }).returning({ id: webhookEndpoints.id });
    await recordAudit(tx, { tenantId, actor: input.actor, action: "webhook.created", target: { type: "webhook_endpoint", id: row!.id } });
    return { id: row!.id, secret };
  });
}

export async function listWebhookEndpoints(db: Db, pii: PiiCipher, { tenantId }: { tenantId: string }) {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, tenantId)).orderBy(desc(webhookEndpoints.createdAt)),
  );
  return Promise.all(
    rows.map(async (r) => ({ id: r.id, events: r.events, enabled: r.enabled, createdAt: r.createdAt, url: await pii.decrypt(r.url, piiField(tenantId, "webhook_endpoints", "url")) })),
  );
}

export function deleteWebhookEndpoint(db: Db, { id, tenantId, actor }: { id: string; tenantId: string; actor: Actor }) {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx.delete(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.tenantId, tenantId))).returning({ id: webhookEndpoints.id });
    if (rows.length) await recordAudit(tx, { tenantId, actor, action: "webhook.deleted", target: { type: "webhook_endpoint", id } });
    return rows.length > 0;
  });
}
