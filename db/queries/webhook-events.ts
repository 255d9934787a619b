import { and, eq, sql } from "drizzle-orm";
import type { PiiCipher } from "../../core/crypto/pii";
import type { WebhookEventJob } from "../../core/webhooks/events";
import { piiField } from "../pii-columns";
import { enqueue, queues } from "../queue";
import { webhookDeliveries, webhookEndpoints } from "../schema";
import { type Db, type Tx, withTenant } from "../tenant";

export type WebhookDeliverJob = { tenantId: string; deliveryId: string; manual?: boolean };

const subscribed = (tenantId: string, type: string) =>
  and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.enabled, true), sql`(cardinality(${webhookEndpoints.events}) = 0 or ${type} = any(${webhookEndpoints.events}))`);

/**
 * Queues an event in the caller's transaction (the outbox): it exists exactly when the change that
 * caused it commits. Nothing is queued for a tenant with no endpoint listening.
 */
export async function queueWebhookEvent(tx: Tx, event: Omit<WebhookEventJob, "occurredAt"> & { occurredAt?: string }) {
  const [listening] = await tx.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(subscribed(event.tenantId, event.type)).limit(1);
  if (!listening) return null;
  return enqueue<WebhookEventJob>(tx, queues.webhookEvent, { ...event, occurredAt: event.occurredAt ?? new Date().toISOString() });
}

/**
 * One delivery per listening endpoint, each with its sealed body and its first attempt queued.
 * (endpoint, event id) is unique, so an event fanned out twice is delivered once.
 */
export async function fanOutEvent(db: Db, pii: PiiCipher, event: WebhookEventJob, body: string) {
  const { tenantId } = event;
  const sealed = await pii.encrypt(body, piiField(tenantId, "webhook_deliveries", "body"));
  return withTenant(db, tenantId, async (tx) => {
    const endpoints = await tx.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(subscribed(tenantId, event.type));
    let created = 0;
    for (const e of endpoints) {
      const [row] = await tx
        .insert(webhookDeliveries)
        .values({ tenantId, endpointId: e.id, eventId: event.eventId, eventType: event.type, payload: event.ref, body: sealed })
        .onConflictDoNothing({ target: [webhookDeliveries.endpointId, webhookDeliveries.eventId] })
        .returning({ id: webhookDeliveries.id });
      if (!row) continue;
      await enqueue<WebhookDeliverJob>(tx, queues.webhookDeliver, { tenantId, deliveryId: row.id });
      created++;
    }
    return created;
  });
}
