import { defineJob, type ScheduleDefinition } from "../jobs/definition";
import { reconcileUsage, reportUsage } from "./billing.server";
import { handleCallEnded } from "./call-ended.server";

/** An ended call's usage record, priced by the tenant's plan. */
export const billCallJob = defineJob({
  queue: "call.ended",
  handle: (d, job) => handleCallEnded(d.db, job),
  batch: 50,
  retry: { limit: 5, delaySeconds: 5, backoff: true, expireSeconds: 120, deadLetter: true },
});

/** A paying tenant's usage record, reported to Stripe. */
export const reportUsageJob = defineJob({
  queue: "usage.report",
  handle: async (d, job) => {
    const result = await reportUsage(d.billing, job.data);
    d.log({
      msg: "usage.report handled",
      jobId: job.id,
      usageRecordId: job.data.usageRecordId,
      reported: result.reported,
    });
  },
  batch: 50,
  retry: { limit: 12, delaySeconds: 10, backoff: true, expireSeconds: 60, deadLetter: true },
});

/** Our reported seconds against Stripe's meter, per subscribed tenant; differences logged for a person to look at. */
export const reconcileUsageSchedule: ScheduleDefinition = {
  name: "usage reconciliation",
  everyMs: (c) => c.USAGE_RECONCILE_HOURS * 3_600_000,
  run: (d) => reconcileUsage(d.billing, d.log),
};
