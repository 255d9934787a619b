import { and, desc, eq } from "drizzle-orm";
import type { PiiCipher } from "../../core/crypto/pii";
import { newWebhookSecret } from "../../core/webhooks/signature";
import { piiField } from "../pii-columns";
import { webhookEndpoints } from "../schema";
import { type Db, withTenant } from "../tenant";
import { type Actor, recordAudit } from "./audit";

type Owner = { tenantId: string };
/** How long a rotated-out secret keeps signing beside the new one, so receivers can switch. */
export const SECRET_OVERLAP_HOURS = 24;

const field = (tenantId: string, column: "url" | "secret" | "previous_secret") =>
  piiField(tenantId, "webhook_endpoints", column);
const endpointJson = async (pii: PiiCipher, r: typeof webhookEndpoints.$inferSelect) => ({
  id: r.id,
  url: await pii.decrypt(r.url, field(r.tenantId, "url")),
  events: r.events,
  enabled: r.enabled,
  disabledReason: r.disabledReason,
  createdAt: r.createdAt,
});
export type WebhookEndpoint = Awaited<ReturnType<typeof endpointJson>>;

/** Registers an endpoint; its URL and signing secret are stored encrypted; the secret is returned once. */
export async function createWebhookEndpoint(
  db: Db,
  pii: PiiCipher,
  input: Owner & { url: string; events: string[]; actor: Actor },
) {
  const secret = newWebhookSecret();
  const { tenantId } = input;
  const url = await pii.encrypt(input.url, field(tenantId, "url"));
  const sealedSecret = await pii.encrypt(secret, field(tenantId, "secret"));
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({ tenantId, url, secret: sealedSecret, events: input.events })
      .returning();
    await recordAudit(tx, {
      tenantId,
      actor: input.actor,
      action: "webhook.created",
      target: { type: "webhook_endpoint", id: row!.id },
    });
    return { ...(await endpointJson(pii, row!)), secret };
  });
}

export async function listWebhookEndpoints(db: Db, pii: PiiCipher, { tenantId }: Owner) {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.tenantId, tenantId))
      .orderBy(desc(webhookEndpoints.createdAt)),
  );
  return Promise.all(rows.map((r) => endpointJson(pii, r)));
}

async function endpointRow(db: Db, { tenantId, id }: Owner & { id: string }) {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.tenantId, tenantId))),
  );
  return row;
}

export async function getWebhookEndpoint(db: Db, pii: PiiCipher, { tenantId, id }: Owner & { id: string }) {
  const row = await endpointRow(db, { tenantId, id });
  return row ? endpointJson(pii, row) : null;
}

/** Changes the URL, the events or the switch; turning an endpoint back on clears why it was off. */
export async function updateWebhookEndpoint(
  db: Db,
  pii: PiiCipher,
  u: Owner & { id: string; actor: Actor; url?: string; events?: string[]; enabled?: boolean },
) {
  // Nothing to change (an empty PATCH): the endpoint as it is; an UPDATE with no columns is an error.
  if (u.url === undefined && u.events === undefined && u.enabled === undefined) return getWebhookEndpoint(db, pii, u);
  const url = u.url === undefined ? undefined : await pii.encrypt(u.url, field(u.tenantId, "url"));
  const row = await withTenant(db, u.tenantId, async (tx) => {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({ url, events: u.events, enabled: u.enabled, ...(u.enabled ? { disabledReason: null } : {}) })
      .where(and(eq(webhookEndpoints.id, u.id), eq(webhookEndpoints.tenantId, u.tenantId)))
      .returning();
    if (row)
      await recordAudit(tx, {
        tenantId: u.tenantId,
        actor: u.actor,
        action: "webhook.updated",
        target: { type: "webhook_endpoint", id: u.id },
        metadata: changes(u),
      });
    return row;
  });
  return row ? endpointJson(pii, row) : null;
}

const changes = (u: { url?: string; events?: string[]; enabled?: boolean }) => ({
  ...(u.events ? { events: u.events } : {}),
  ...(u.enabled === undefined ? {} : { enabled: u.enabled }),
  ...(u.url === undefined ? {} : { url: "changed" }),
});

/** A new secret signs from now on; the old one signs beside it for SECRET_OVERLAP_HOURS. Null: no such endpoint. */
export async function rotateWebhookSecret(
  db: Db,
  pii: PiiCipher,
  { tenantId, id, actor }: Owner & { id: string; actor: Actor },
) {
  const secret = newWebhookSecret();
  const sealed = await pii.encrypt(secret, field(tenantId, "secret"));
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select({ secret: webhookEndpoints.secret })
      .from(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.tenantId, tenantId)))
      .for("update");
    if (!row) return null;
    const previous = await pii.encrypt(
      await pii.decrypt(row.secret, field(tenantId, "secret")),
      field(tenantId, "previous_secret"),
    );
    await tx
      .update(webhookEndpoints)
      .set({
        secret: sealed,
        previousSecret: previous,
        previousSecretExpiresAt: new Date(Date.now() + SECRET_OVERLAP_HOURS * 3_600_000),
      })
      .where(eq(webhookEndpoints.id, id));
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "webhook.secret_rotated",
      target: { type: "webhook_endpoint", id },
    });
    return { secret };
  });
}

/** The URL and the secrets that sign now (the newest first), for a delivery. */
export async function endpointSigning(db: Db, pii: PiiCipher, { tenantId, id }: Owner & { id: string }) {
  const row = await endpointRow(db, { tenantId, id });
  if (!row) return null;
  const secrets = [await pii.decrypt(row.secret, field(tenantId, "secret"))];
  if (row.previousSecret && row.previousSecretExpiresAt && row.previousSecretExpiresAt > new Date())
    secrets.push(await pii.decrypt(row.previousSecret, field(tenantId, "previous_secret")));
  return { enabled: row.enabled, url: await pii.decrypt(row.url, field(tenantId, "url")), secrets };
}

export function deleteWebhookEndpoint(db: Db, { id, tenantId, actor }: Owner & { id: string; actor: Actor }) {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .delete(webhookEndpoints)
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.tenantId, tenantId)))
      .returning({ id: webhookEndpoints.id });
    if (rows.length)
      await recordAudit(tx, { tenantId, actor, action: "webhook.deleted", target: { type: "webhook_endpoint", id } });
    return rows.length > 0;
  });
}
