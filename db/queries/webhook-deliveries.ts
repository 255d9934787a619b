import { and, desc, eq, sql } from "drizzle-orm";
import type { PiiCipher } from "../../core/crypto/pii";
import { piiField } from "../pii-columns";
import { follow } from "../pipeline";
import { webhookDeliveries, webhookEndpoints } from "../schema";
import { type Db, withTenant } from "../tenant";

type Owner = { tenantId: string };
const own = (tenantId: string, id: string) =>
  and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.tenantId, tenantId));
const summary = {
  id: webhookDeliveries.id,
  endpointId: webhookDeliveries.endpointId,
  eventId: webhookDeliveries.eventId,
  eventType: webhookDeliveries.eventType,
  status: webhookDeliveries.status,
  attempts: webhookDeliveries.attempts,
  lastStatusCode: webhookDeliveries.lastStatusCode,
  lastError: webhookDeliveries.lastError,
  lastAttemptAt: webhookDeliveries.lastAttemptAt,
  nextAttemptAt: webhookDeliveries.nextAttemptAt,
  deliveredAt: webhookDeliveries.deliveredAt,
  createdAt: webhookDeliveries.createdAt,
};

/** A delivery with its body opened, for sending it or showing it in the delivery log. */
export async function getDelivery(
  db: Db,
  pii: PiiCipher,
  { tenantId, id, endpointId }: Owner & { id: string; endpointId?: string },
) {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ ...summary, body: webhookDeliveries.body, lastResponse: webhookDeliveries.lastResponse })
      .from(webhookDeliveries)
      .where(and(own(tenantId, id), endpointId ? eq(webhookDeliveries.endpointId, endpointId) : undefined)),
  );
  if (!row) return null;
  const open = (value: string | null, column: "body" | "last_response") =>
    value ? pii.decrypt(value, piiField(tenantId, "webhook_deliveries", column)) : null;
  return {
    ...row,
    body: (await open(row.body, "body")) ?? "",
    lastResponse: await open(row.lastResponse, "last_response"),
  };
}

export function listDeliveries(
  db: Db,
  { tenantId, endpointId, limit = 50 }: Owner & { endpointId: string; limit?: number },
) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select(summary)
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.endpointId, endpointId)))
      .orderBy(desc(webhookDeliveries.createdAt))
      .limit(limit),
  );
}

/** `response`: the start of the receiver's answer, sealed by the caller (it may echo personal data). */
export type AttemptOutcome = { ok: boolean; statusCode: number | null; error: string | null; response: string | null };
/** After a failure: try again in `retryInSeconds`, give up (`dead`), or nothing more (a manual resend). */
export type AfterFailure = { retryInSeconds: number } | "dead" | "none";

/**
 * Files one attempt; a failure schedules the next one in the same transaction. A delivery that
 * runs out of attempts turns its endpoint off; `disabled` says whether this call did so.
 */
export function recordAttempt(
  db: Db,
  { tenantId, id, outcome, after }: Owner & { id: string; outcome: AttemptOutcome; after: AfterFailure },
) {
  return withTenant(db, tenantId, async (tx) => {
    const retry = !outcome.ok && typeof after === "object" ? after.retryInSeconds : null;
    const [row] = await tx
      .update(webhookDeliveries)
      .set({
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        lastStatusCode: outcome.statusCode,
        lastError: outcome.error,
        lastResponse: outcome.response,
        lastAttemptAt: sql`now()`,
        ...(outcome.ok
          ? { status: "delivered" as const, deliveredAt: sql`now()`, nextAttemptAt: null }
          : after === "none"
            ? {}
            : {
                status: after === "dead" ? ("dead" as const) : ("failed" as const),
                nextAttemptAt: retry === null ? null : sql`now() + ${retry} * interval '1 second'`,
              }),
      })
      .where(own(tenantId, id))
      .returning({ endpointId: webhookDeliveries.endpointId });
    if (!row) return { disabled: false };
    if (retry !== null)
      await follow(tx, "deliveryDue", {
        delivery: { tenantId, deliveryId: id, endpointId: row.endpointId },
        afterSeconds: retry,
      });
    if (outcome.ok || after !== "dead") return { disabled: false };
    const turnedOff = await tx
      .update(webhookEndpoints)
      .set({
        enabled: false,
        disabledReason: `Every attempt to deliver an event failed (last: ${outcome.error ?? `HTTP ${outcome.statusCode}`}).`,
      })
      .where(
        and(
          eq(webhookEndpoints.id, row.endpointId),
          eq(webhookEndpoints.tenantId, tenantId),
          eq(webhookEndpoints.enabled, true),
        ),
      )
      .returning({ id: webhookEndpoints.id });
    return { disabled: turnedOff.length > 0, endpointId: row.endpointId };
  });
}

/** Queues one more attempt now, outside the retry schedule. False: no such delivery for this endpoint. */
export function resendDelivery(db: Db, { tenantId, endpointId, id }: Owner & { endpointId: string; id: string }) {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(own(tenantId, id), eq(webhookDeliveries.endpointId, endpointId)));
    if (!row) return false;
    await follow(tx, "deliveryDue", { delivery: { tenantId, deliveryId: id, endpointId, manual: true } });
    return true;
  });
}
