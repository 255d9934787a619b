import type { PiiCipher } from "../../core/crypto/pii";
import type { WebhookEventJob } from "../../core/webhooks/events";
import { getCall } from "../../db/queries/calls";
import { getNumber } from "../../db/queries/phone-numbers";
import { fanOutEvent } from "../../db/queries/webhook-events";
import type { Db } from "../../db/tenant";
import { callJson, numberJson } from "../api/schemas";

/**
 * The body every endpoint receives for an event (Standard Webhooks: type, timestamp, data), built
 * from the current rows in the same shapes as the API. Null: the subject is gone.
 */
export async function eventBody({ db, pii }: { db: Db; pii: PiiCipher }, event: WebhookEventJob) {
  const { tenantId } = event;
  let data: Record<string, unknown> | null = null;
  if (event.type === "number.purchased" && event.ref.numberId) {
    const n = await getNumber(db, { tenantId, id: event.ref.numberId });
    data = n ? { number: numberJson(n) } : null;
  } else if (event.type === "usage.threshold") {
    data = event.data ?? null;
  } else if (event.ref.callId) {
    const call = await getCall(db, pii, { tenantId, id: event.ref.callId });
    if (call) {
      const { transcript, ...summary } = callJson(call);
      data =
        event.type === "transcript.ready"
          ? { callId: call.id, transcript }
          : {
              call: {
                ...summary,
                agentId: call.agentId,
                startedAt: call.startedAt?.toISOString() ?? null,
                endedAt: call.endedAt?.toISOString() ?? null,
              },
            };
    }
  }
  return data ? JSON.stringify({ type: event.type, timestamp: event.occurredAt, data }) : null;
}

/** Fans an event out to the endpoints listening for it; each delivery's first attempt is queued. */
export async function handleWebhookEvent(deps: { db: Db; pii: PiiCipher }, event: WebhookEventJob) {
  const body = await eventBody(deps, event);
  return body ? fanOutEvent(deps.db, deps.pii, event, body) : 0;
}
