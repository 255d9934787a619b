import { and, eq, sql } from "drizzle-orm";
import type { PiiCipher } from "../../core/crypto/pii";
import type { WebhookEventJob } from "../../core/webhooks/events";
import { piiField } from "../pii-columns";
import { follow } from "../pipeline";
import { webhookDeliveries, webhookEndpoints } from "../schema";
import { type Db, type Tx, withTenant } from "../tenant";

/** `endpointId` lets the jobs process cap attempts in flight per endpoint (absent on older jobs). */
export type WebhookDeliverJob = { tenantId: string; deliveryId: string; endpointId?: string; manual?: boolean };

const subscribed = (tenantId: string, type: string) =>
  and(
    eq(webhookEndpoints.tenantId, tenantId),
    eq(webhookEndpoints.enabled, true),
    sql`(cardinality(${webhookEndpoints.events}) = 0 or ${type} = any(${webhookEndpoints.events}))`,
  );

type NewEvent = Omit<WebhookEventJob, "occurredAt" | "tenantId">;

/**
 * Queues events in the caller's transaction (the outbox): they exist exactly when the change that
 * caused them commits. One look at the tenant's endpoints decides for all of them; nothing is
 * queued for a type no enabled endpoint listens to.
 */
export async function queueWebhookEvents(tx: Tx, tenantId: string, events: NewEvent[]) {
  const listening = await tx
    .select({ events: webhookEndpoints.events })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.enabled, true)));
  const occurredAt = new Date().toISOString();
  for (const event of events) {
    if (!listening.some((e) => e.events.length === 0 || e.events.includes(event.type))) continue;
    await follow(tx, "webhookEvent", { ...event, tenantId, occurredAt });
  }
}

export const queueWebhookEvent = (tx: Tx, event: NewEvent & { tenantId: string }) => {
  const { tenantId, ...rest } = event;
  return queueWebhookEvents(tx, tenantId, [rest]);
};

/**
 * One delivery per listening endpoint, each with its sealed body and its first attempt queued.
 * (endpoint, event id) is unique, so an event fanned out twice is delivered once.
 */
export async function fanOutEvent(db: Db, pii: PiiCipher, event: WebhookEventJob, body: string) {
  const { tenantId } = event;
  const sealed = await pii.encrypt(body, piiField(tenantId, "webhook_deliveries", "body"));
  return withTenant(db, tenantId, async (tx) => {
    const endpoints = await tx
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(subscribed(tenantId, event.type));
    let created = 0;
    for (const e of endpoints) {
      const [row] = await tx
        .insert(webhookDeliveries)
        .values({
          tenantId,
          endpointId: e.id,
          eventId: event.eventId,
          eventType: event.type,
          payload: event.ref,
          body: sealed,
        })
        .onConflictDoNothing({ target: [webhookDeliveries.endpointId, webhookDeliveries.eventId] })
        .returning({ id: webhookDeliveries.id });
      if (!row) continue;
      await follow(tx, "deliveryDue", { delivery: { tenantId, deliveryId: row.id, endpointId: e.id } });
      created++;
    }
    return created;
  });
}
