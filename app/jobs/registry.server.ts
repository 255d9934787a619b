import { analyzeCallJob } from "../analysis/analysis.job";
import { idempotencySweepSchedule } from "../api/idempotency.job";
import { billCallJob, reconcileUsageSchedule, reportUsageJob } from "../billing/billing.job";
import { ingestDocumentJob } from "../knowledge/knowledge.job";
import { recordingSweepSchedule, storeRecordingJob } from "../recordings/recordings.job";
import { campaignSchedule, numberCheckSchedule, priceCallJob, transferFallbackJob } from "../telephony/telephony.job";
import { runSuiteJob } from "../testing/testing.job";
import { deliverWebhookJob, webhookEventJob } from "../webhooks/webhooks.job";
import type { JobDefinition, ScheduleDefinition } from "./definition";
import { lostCallSweepSchedule } from "./lost-calls.job";

/** Every queue the jobs process works; which event leads to which of them is db/pipeline.ts. */
export const jobs: JobDefinition[] = [
  billCallJob,
  analyzeCallJob,
  ingestDocumentJob,
  runSuiteJob,
  priceCallJob,
  transferFallbackJob,
  reportUsageJob,
  storeRecordingJob,
  webhookEventJob,
  deliverWebhookJob,
];

/** Every periodic task of the jobs process. */
export const schedules: ScheduleDefinition[] = [
  reconcileUsageSchedule,
  recordingSweepSchedule,
  idempotencySweepSchedule,
  numberCheckSchedule,
  campaignSchedule,
  lostCallSweepSchedule,
];
