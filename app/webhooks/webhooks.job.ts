import { defineJob } from "../jobs/definition";
import { deliverWebhook } from "./deliver.server";
import { handleWebhookEvent } from "./events.server";
import { ATTEMPT_LIMITS } from "./send.server";

/** A tenant event, fanned out to one delivery per listening endpoint. */
export const webhookEventJob = defineJob({
  queue: "webhook.event",
  handle: async (d, job) => {
    const deliveries = await handleWebhookEvent(d.hooks, job.data);
    d.log({ msg: "webhook.event handled", jobId: job.id, type: job.data.type, eventId: job.data.eventId, deliveries });
  },
  retry: { limit: 10, delaySeconds: 5, backoff: true, expireSeconds: 60, deadLetter: true },
});

/**
 * One attempt at a delivery. Tenants' endpoints may be slow on purpose: each attempt has its own
 * deadline and slot, and one endpoint (or tenant) holds at most a few slots (docs/decisions/0027).
 * Its retries follow the delivery's own schedule (the pipeline's `deliveryDue`), not the queue's.
 */
export const deliverWebhookJob = defineJob({
  queue: "webhook.deliver",
  handle: async (d, job) => {
    const result = await deliverWebhook(d.hooks, job.data);
    d.log({ msg: "webhook.deliver handled", jobId: job.id, deliveryId: job.data.deliveryId, ...result });
  },
  batch: 16,
  limits: {
    of: (data) => [
      [`endpoint:${data.endpointId ?? data.deliveryId}`, 2],
      [`tenant:${data.tenantId}`, 6],
    ],
    deferSeconds: ATTEMPT_LIMITS.deadlineMs / 1000,
  },
  retry: { limit: 5, delaySeconds: 10, backoff: true, expireSeconds: 60, deadLetter: false },
});
