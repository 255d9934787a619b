/** The events a tenant can subscribe an endpoint to; the portal, the API and the jobs share this list. */
export const webhookEventTypes = {
  "call.started": "A call was answered by an agent.",
  "call.ended": "A call ended and was billed (duration, cost, reason).",
  "transcript.ready": "The full transcript of an ended call.",
  "number.purchased": "A phone number was bought.",
  "usage.threshold": "This period's included minutes are 80 % or 100 % used.",
} as const;

export type WebhookEventType = keyof typeof webhookEventTypes;
export const webhookEventTypeNames = Object.keys(webhookEventTypes) as [WebhookEventType, ...WebhookEventType[]];
export const isWebhookEventType = (t: string): t is WebhookEventType => t in webhookEventTypes;

/** What goes to a job that fans an event out to the tenant's endpoints. `ref` names the subject. */
export type WebhookEventJob = {
  tenantId: string;
  type: WebhookEventType;
  /** Stable for one occurrence, so a repeated emission delivers once per endpoint. */
  eventId: string;
  occurredAt: string;
  ref: { callId?: string; numberId?: string };
  /** Data that needs no lookup and holds nothing personal (usage figures). */
  data?: Record<string, unknown>;
};
