import { defineJob, type ScheduleDefinition } from "../jobs/definition";
import { handleCallPrice } from "./call-price.server";
import { dialCampaigns } from "./campaigns.server";
import { checkAllNumbers } from "./numbers.server";
import { handleTransferFallback } from "./transfer-fallback.server";

/** What Twilio charged for a phone call, once it has set the price (until then the job retries). */
export const priceCallJob = defineJob({
  queue: "call.price",
  handle: async (d, job) => {
    const result = await handleCallPrice(d.telephony, job);
    d.log({
      msg: "call.price handled",
      jobId: job.id,
      callId: job.data.callId,
      priced: result.priced,
      micros: String(result.micros ?? ""),
    });
  },
  pollSeconds: 5,
  retry: { limit: 8, delaySeconds: 30, backoff: true, expireSeconds: 60, deadLetter: true },
});

/** A warm transfer's person not reached: the caller on hold is told and the call ends. */
export const transferFallbackJob = defineJob({
  queue: "transfer.fallback",
  handle: async (d, job) => {
    const result = await handleTransferFallback(d.telephony, job.data);
    d.log({ msg: "transfer.fallback handled", jobId: job.id, callId: job.data.callId, told: result.told });
  },
  retry: { limit: 3, delaySeconds: 2, backoff: true, expireSeconds: 60, deadLetter: true },
});

/**
 * Every number's Twilio setup, checked in each jobs process. Running twice (two processes) only
 * repeats an idempotent repair, so no queue or lock is needed (docs/decisions/0011).
 */
export const numberCheckSchedule: ScheduleDefinition = {
  name: "number check",
  everyMs: (c) => c.NUMBER_CHECK_INTERVAL_MINUTES * 60_000,
  run: async (d) => d.log({ msg: "numbers checked", drifted: await checkAllNumbers(d.telephony, d.log) }),
};

/** The campaign dialler: one pass at a time; its claims live in the database, so processes may overlap safely. */
export const campaignSchedule: ScheduleDefinition = {
  name: "campaign pass",
  everyMs: (c) => c.CAMPAIGN_TICK_SECONDS * 1000,
  oneAtATime: true,
  run: async (d) => {
    const dialled = await dialCampaigns(d.telephony, d.log);
    if (dialled) d.log({ msg: "campaign calls placed", dialled });
  },
};
