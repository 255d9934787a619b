import type { WebhookEventJob } from "../core/webhooks/events";
import type { KbIngestJob } from "./queries/knowledge";
import type { RecordingJob } from "./queries/recordings";
import type { TestRunJob } from "./queries/test-suites";
import type { TransferFallbackJob } from "./queries/transfers";
import type { UsageReportJob } from "./queries/usage";
import type { WebhookDeliverJob } from "./queries/webhook-events";
import { type CallEndedJob, enqueue, queues } from "./queue";
import type { Tx } from "./tenant";

/** What a job of each queue carries. */
export type JobPayloads = {
  [queues.callEnded]: CallEndedJob;
  [queues.callAnalyze]: CallEndedJob;
  [queues.callPrice]: CallEndedJob;
  [queues.kbIngest]: KbIngestJob;
  [queues.testRun]: TestRunJob;
  [queues.recordingStore]: RecordingJob;
  [queues.transferFallback]: TransferFallbackJob;
  [queues.usageReport]: UsageReportJob;
  [queues.webhookEvent]: WebhookEventJob;
  [queues.webhookDeliver]: WebhookDeliverJob;
};
export type QueueName = keyof JobPayloads;

type Job<Q extends QueueName> = { queue: Q; data: JobPayloads[Q]; singletonKey?: string; startAfterSeconds?: number };
const job = <Q extends QueueName>(
  queue: Q,
  data: JobPayloads[Q],
  singletonKey?: string,
  startAfterSeconds?: number,
): Job<Q> => ({ queue, data, singletonKey, startAfterSeconds });

/** An event and the jobs it leads to; `leadsTo` names every queue `jobs` may return, and the compiler holds it to that. */
const event = <E, const Q extends QueueName>(
  leadsTo: readonly Q[],
  jobs: (cause: E) => (Job<NoInfer<Q>> | false)[],
) => ({ leadsTo, jobs });

/**
 * The pipeline: which jobs each event leads to, in one place. The queries that cause an event call
 * `follow` inside their transaction, so a job exists exactly when its cause commits. A singleton key
 * makes a repeated cause (a retried job, a second callback) queue nothing more.
 */
export const pipeline = {
  /** A call closed, once (closeCall): it is billed; a phone call is also priced once Twilio has set its price. */
  callClosed: event(["call.ended", "call.price"], (c: CallEndedJob & { providerCallSid: string | null }) => [
    job("call.ended", { tenantId: c.tenantId, callId: c.callId }, c.callId),
    Boolean(c.providerCallSid) && job("call.price", { tenantId: c.tenantId, callId: c.callId }, c.callId),
  ]),
  /** An ended call's usage was recorded: a paying plan's seconds go to Stripe; the call is analysed, and that job sends call.ended, so it carries both. */
  usageRecorded: event(
    ["usage.report", "call.analyze"],
    (u: CallEndedJob & { usageRecordId: string; reportToStripe: boolean }) => [
      u.reportToStripe &&
        job("usage.report", { tenantId: u.tenantId, usageRecordId: u.usageRecordId }, u.usageRecordId),
      job("call.analyze", { tenantId: u.tenantId, callId: u.callId }, u.callId),
    ],
  ),
  /** A tenant webhook event some enabled endpoint listens to (the outbox): fanned out to its endpoints by the job. */
  webhookEvent: event(["webhook.event"], (e: WebhookEventJob) => [job("webhook.event", e)]),
  /** A delivery is due: created, retried on its schedule (`afterSeconds`) or resent by hand. */
  deliveryDue: event(["webhook.deliver"], (d: { delivery: WebhookDeliverJob; afterSeconds?: number }) => [
    job("webhook.deliver", d.delivery, undefined, d.afterSeconds),
  ]),
  /** Twilio's recording of a call is ready: copied to our store, once per RecordingSid. */
  recordingReady: event(["recording.store"], (r: RecordingJob & { recordingSid: string }) => [
    job("recording.store", { tenantId: r.tenantId, recordingId: r.recordingId }, r.recordingSid),
  ]),
  /** A warm transfer's person was not reached: the waiting caller is told. */
  transferUnreached: event(["transfer.fallback"], (t: TransferFallbackJob) => [job("transfer.fallback", t, t.callId)]),
  /** A knowledge document was added or uploaded: read and embedded. */
  documentAdded: event(["kb.ingest"], (d: KbIngestJob) => [job("kb.ingest", d, d.documentId)]),
  /** A test suite run was started: run. */
  testRunStarted: event(["test.run"], (r: TestRunJob) => [job("test.run", r, r.runId)]),
};

export type PipelineEvent = keyof typeof pipeline;
export type CauseOf<K extends PipelineEvent> = Parameters<(typeof pipeline)[K]["jobs"]>[0];

/** Queues, in the caller's transaction, the jobs that `cause` leads to. */
export async function follow<K extends PipelineEvent>(tx: Tx, event: K, cause: CauseOf<K>) {
  const jobs = (pipeline[event].jobs as (c: CauseOf<K>) => (Job<QueueName> | false)[])(cause);
  for (const j of jobs) if (j) await enqueue(tx, j.queue, j.data, j.singletonKey, j.startAfterSeconds);
}
