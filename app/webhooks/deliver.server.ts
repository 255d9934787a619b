import type { PiiCipher } from "../../core/crypto/pii";
import type { Limits } from "../../core/net/bounded-fetch";
import { signWebhook } from "../../core/webhooks/signature";
import { piiField } from "../../db/pii-columns";
import { listMembers } from "../../db/queries/members";
import { type AfterFailure, getDelivery, recordAttempt } from "../../db/queries/webhook-deliveries";
import { endpointSigning } from "../../db/queries/webhook-endpoints";
import type { WebhookDeliverJob } from "../../db/queries/webhook-events";
import type { Db } from "../../db/tenant";
import type { Mailer } from "../utils/mail-transports.server";
import { postWebhook } from "./send.server";

export type WebhookDeps = {
  db: Db;
  pii: PiiCipher;
  mailer: Mailer;
  allowPrivate: boolean;
  /** Seconds before each retry; past the last, the delivery is dead and its endpoint turned off. */
  retrySchedule: number[];
  appUrl: (path: string) => string;
  /** Each attempt's deadline and answer cap (send.server's ATTEMPT_LIMITS unless a test says). */
  limits?: Limits;
};

/** `msg_` and the delivery id: the same on every retry, so a receiver can drop duplicates. */
export const messageId = (deliveryId: string) => `msg_${deliveryId.replaceAll("-", "")}`;

/**
 * One attempt at a delivery (Standard Webhooks headers, signed with every current secret). A
 * failure is filed with the next try scheduled; the last failure turns the endpoint off and tells
 * the team's owners and admins by email. A manual resend is a single extra attempt.
 */
export async function deliverWebhook(deps: WebhookDeps, job: WebhookDeliverJob) {
  const { db, pii } = deps;
  const delivery = await getDelivery(db, pii, { tenantId: job.tenantId, id: job.deliveryId });
  if (!delivery) return { sent: false, reason: "no such delivery" };
  if (delivery.status === "delivered" && !job.manual) return { sent: false, reason: "already delivered" };
  const endpoint = await endpointSigning(db, pii, { tenantId: job.tenantId, id: delivery.endpointId });
  if (!endpoint) return { sent: false, reason: "endpoint deleted" };
  if (!endpoint.enabled && !job.manual) return { sent: false, reason: "endpoint disabled" };
  const timestamp = Math.floor(Date.now() / 1000);
  const id = messageId(delivery.id);
  const signature = await signWebhook({ id, timestamp, body: delivery.body, secrets: endpoint.secrets });
  const outcome = await postWebhook(
    endpoint.url,
    { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signature },
    delivery.body,
    {
      allow: deps.allowPrivate ? "any" : undefined,
      limits: deps.limits,
    },
  );
  if (outcome.response)
    outcome.response = await pii.encrypt(
      outcome.response,
      piiField(job.tenantId, "webhook_deliveries", "last_response"),
    );
  const attempt = delivery.attempts + 1;
  const after: AfterFailure = job.manual
    ? "none"
    : attempt <= deps.retrySchedule.length
      ? { retryInSeconds: deps.retrySchedule[attempt - 1]! }
      : "dead";
  const { disabled } = await recordAttempt(db, { tenantId: job.tenantId, id: delivery.id, outcome, after });
  if (disabled) await tellAdmins(deps, job.tenantId, delivery.endpointId, endpoint.url, outcome.error ?? "");
  return { sent: outcome.ok, attempt, status: outcome.statusCode, disabled };
}

async function tellAdmins(deps: WebhookDeps, tenantId: string, endpointId: string, url: string, lastError: string) {
  const admins = (await listMembers(deps.db, { tenantId })).filter((m) => m.role === "owner" || m.role === "admin");
  const link = deps.appUrl(`/settings/webhooks/${endpointId}`);
  await Promise.all(
    admins.map((m) =>
      deps.mailer.send({
        to: m.email,
        subject: "A webhook endpoint was turned off",
        text: `Every attempt over the last days to deliver an event to ${url} failed (last: ${lastError}), so BVRAI has stopped sending to it.\n\nFix the endpoint, then turn it back on and resend what it missed: ${link}\n`,
      }),
    ),
  );
}
