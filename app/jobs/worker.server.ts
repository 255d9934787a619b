import { fieldLogger, serviceLogger, withLogFields } from "../../core/telemetry";
import { jobDuration, jobsHandled } from "../../core/telemetry/metrics";
import { reportError } from "../../core/telemetry/sentry";
import { SpanKind, contextFrom, traced } from "../../core/telemetry/tracing";
import { reapLostCalls } from "./lost-calls.server";
import PgBoss from "pg-boss";
import type { JobsConfig } from "../../core/config";
import { createNodeDb } from "../../db/node-client";
import { type CallEndedJob, queues } from "../../db/queue";
import { createPiiCipher } from "../../core/crypto/pii";
import { dialCampaigns } from "../telephony/campaigns.server";
import { checkAllNumbers, type Telephony, telephonyFrom } from "../telephony/numbers.server";
import { handleCallEnded } from "./call-ended.server";
import { analystSource } from "../analysis/analyst.server";
import { type AnalysisDeps, analyzeCall, failCallAnalysis } from "../analysis/analyze.server";
import { tenantProviderKeys } from "../../db/queries/provider-credentials";
import { failIngest, type IngestDeps, ingestDocument } from "../knowledge/ingest.server";
import type { KbIngestJob } from "../../db/queries/knowledge";
import { embedderSource } from "../../core/knowledge/embedder-source";
import { openAiKeySource } from "../../core/openai-key";
import { runSuite, type SuiteDeps } from "../testing/run-suite.server";
import type { TestRunJob } from "../../db/queries/test-suites";
import { openaiChat } from "../../voice/openai-chat";
import { sandboxProviders } from "../../voice/sandbox";
import { handleCallPrice } from "./call-price.server";
import { handleTransferFallback } from "./transfer-fallback.server";
import { reconcileUsage, reportUsage } from "../billing/billing.server";
import { stripeClient } from "../../core/billing/stripe";
import type { UsageReportJob } from "../../db/queries/usage";
import type { TransferFallbackJob } from "../../db/queries/transfers";
import { markRecordingFailed, type RecordingJob } from "../../db/queries/recordings";
import { objectStoreFrom } from "../recordings/object-store.server";
import { type Recordings, resealWholeRecordings, storeRecording, sweepRecordings } from "../recordings/recordings.server";
import { mailerFrom } from "../utils/mail-transports.server";
import { sweepIdempotencyKeys } from "../../db/queries/idempotency";
import { listTenantIds } from "../../db/queries/tenants";
import { deliverWebhook, type WebhookDeps } from "../webhooks/deliver.server";
import { handleWebhookEvent } from "../webhooks/events.server";
import { ATTEMPT_LIMITS } from "../webhooks/send.server";
import { workPool } from "./pool.server";
import type { WebhookEventJob } from "../../core/webhooks/events";
import type { WebhookDeliverJob } from "../../db/queries/webhook-events";

/**
 * The jobs process. The schema and queues come from migrations (`migrate: false`); pg-boss
 * supervises expiry, so a job held by a process that died is retried after `expireInSeconds`.
 */
export async function startJobsWorker(config: JobsConfig) {
  const db = createNodeDb(config.DATABASE_URL, { max: 4, localRole: config.DATABASE_LOCAL_ROLE });
  const boss = new PgBoss({
    connectionString: config.DATABASE_URL,
    max: 4,
    migrate: false,
    schedule: false,
    supervise: true,
    maintenanceIntervalSeconds: config.JOBS_MAINTENANCE_INTERVAL_SECONDS,
  });
  boss.on("error", (err) => log({ level: "error", msg: "pg-boss", err: err.message }));
  await boss.start();
  const onError = (msg: string, err: unknown) => log({ level: "error", msg, err: (err as Error)?.message ?? String(err) });
  // Up to `batch` jobs of a queue side by side, each completed or failed alone (app/jobs/pool.server.ts).
  const pools: { stop(graceMs?: number): Promise<void> }[] = [];
  const work = async <T extends object>(name: string, handle: (job: PgBoss.Job<T>) => Promise<unknown>, opts: { batch?: number; pollSeconds?: number } = {}) => {
    pools.push(workPool<T>(boss, name, (job) => observeJob(name, job, handle), { concurrency: opts.batch ?? 20, pollMs: (opts.pollSeconds ?? 1) * 1000, onError }));
  };
  const pii = createPiiCipher({ keys: config.PII_ENCRYPTION_KEYS, blindIndexKey: config.PII_BLIND_INDEX_KEY });
  const telephony = telephonyFrom(config, db, pii);
  const hooks: WebhookDeps = {
    db,
    pii,
    mailer: mailerFrom(config),
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_DESTINATIONS,
    retrySchedule: config.WEBHOOK_RETRY_SCHEDULE_SECONDS,
    appUrl: (path) => new URL(path, config.APP_URL ?? "http://127.0.0.1:3000").toString(),
  };
  const billing = { db, stripe: stripeClient(config), config, appUrl: "" };
  const recordings: Recordings = { ...telephony, store: objectStoreFrom(config) };
  await work<CallEndedJob>(queues.callEnded, (job) => handleCallEnded(db, job), { batch: 50 });
  const openAiKeyFor = openAiKeySource(config.OPENAI_API_KEY, async (tenantId) => (await tenantProviderKeys(db, pii, tenantId)).openai);
  const analysis: AnalysisDeps = { db, pii, analystFor: analystSource(config, openAiKeyFor) };
  await work<CallEndedJob>(queues.callAnalyze, async (job) => {
    log({ msg: "call.analyze handled", jobId: job.id, callId: job.data.callId, ...(await analyzeCall(analysis, job.data)) });
  }, { batch: 50 });
  await work<CallEndedJob>(`${queues.callAnalyze}.dead`, (job) => failCallAnalysis(analysis, job.data), { pollSeconds: 30 });
  const ingest: IngestDeps = { db, pii, embedderFor: embedderSource(config, openAiKeyFor), readBudget: { seconds: config.KB_READ_SECONDS, memoryMb: config.KB_READ_MEMORY_MB } };
  // Uploads are read one at a time (reader.server.ts): a small batch keeps queued ones from expiring while they wait.
  await work<KbIngestJob>(queues.kbIngest, async (job) => {
    log({ msg: "kb.ingest handled", jobId: job.id, documentId: job.data.documentId, ...(await ingestDocument(ingest, job.data)) });
  }, { batch: 2 });
  await work<KbIngestJob>(`${queues.kbIngest}.dead`, (job) => failIngest(ingest, job.data), { pollSeconds: 30 });
  const suites: SuiteDeps = {
    db,
    embedderFor: ingest.embedderFor,
    llmFor: async (tenantId) => {
      const apiKey = await openAiKeyFor(tenantId);
      return apiKey ? { llm: openaiChat({ apiKey, baseURL: config.OPENAI_BASE_URL }), sandbox: false } : { llm: sandboxProviders.llm, sandbox: true };
    },
  };
  await work<TestRunJob>(queues.testRun, async (job) => {
    log({ msg: "test.run handled", jobId: job.id, runId: job.data.runId, ...(await runSuite(suites, job.data)) });
  }, { batch: 2 });
  await work<CallEndedJob>(queues.callPrice, async (job) => {
    const result = await handleCallPrice(telephony, job);
    log({ msg: "call.price handled", jobId: job.id, callId: job.data.callId, priced: result.priced, micros: String(result.micros ?? "") });
  }, { pollSeconds: 5 });
  await work<TransferFallbackJob>(queues.transferFallback, async (job) => {
    const result = await handleTransferFallback(telephony, job.data);
    log({ msg: "transfer.fallback handled", jobId: job.id, callId: job.data.callId, told: result.told });
  });
  await work<UsageReportJob>(queues.usageReport, async (job) => {
    const result = await reportUsage(billing, job.data);
    log({ msg: "usage.report handled", jobId: job.id, usageRecordId: job.data.usageRecordId, reported: result.reported });
  }, { batch: 50 });
  await work<RecordingJob>(queues.recordingStore, async (job) => {
    const result = await storeRecording(recordings, job.data);
    log({ msg: "recording.store handled", jobId: job.id, recordingId: job.data.recordingId, stored: result.stored, store: recordings.store.kind });
  }, { batch: 4, pollSeconds: 2 });
  // Out of retries: the portal says so rather than showing "processing" for ever.
  await work<RecordingJob>(`${queues.recordingStore}.dead`, (job) =>
    markRecordingFailed(db, { tenantId: job.data.tenantId, id: job.data.recordingId, error: "Could not copy the recording from Twilio after repeated tries." }),
  { pollSeconds: 30 });
  await work<WebhookEventJob>(queues.webhookEvent, async (job) => {
    const deliveries = await handleWebhookEvent(hooks, job.data);
    log({ msg: "webhook.event handled", jobId: job.id, type: job.data.type, eventId: job.data.eventId, deliveries });
  });
  // Tenants' endpoints may be slow on purpose: each attempt has its own deadline and slot, and one
  // endpoint (or tenant) holds at most a few slots (docs/decisions/0027).
  pools.push(workPool<WebhookDeliverJob>(
    boss,
    queues.webhookDeliver,
    (job) =>
      observeJob(queues.webhookDeliver, job, async () => {
        const result = await deliverWebhook(hooks, job.data);
        log({ msg: "webhook.deliver handled", jobId: job.id, deliveryId: job.data.deliveryId, ...result });
      }),
    {
      concurrency: 16,
      pollMs: 1000,
      limitsOf: (d) => [[`endpoint:${d.endpointId ?? d.deliveryId}`, 2], [`tenant:${d.tenantId}`, 6]],
      deferSeconds: ATTEMPT_LIMITS.deadlineMs / 1000,
      onError,
    },
  ));
  const reconcile = config.USAGE_RECONCILE_HOURS > 0 ? every(config.USAGE_RECONCILE_HOURS * 3_600_000, "usage reconciliation", () => reconcileUsage(billing, log)) : undefined;
  const sweep = config.RECORDING_SWEEP_MINUTES > 0
    ? every(config.RECORDING_SWEEP_MINUTES * 60_000, "recording sweep", async () => {
        await sweepRecordings(recordings, log);
        await resealWholeRecordings(recordings, log);
      })
    : undefined;
  const idempotencySweep = config.IDEMPOTENCY_SWEEP_MINUTES > 0
    ? every(config.IDEMPOTENCY_SWEEP_MINUTES * 60_000, "idempotency sweep", async () => log({ msg: "idempotency keys swept", removed: await sweepIdempotencyKeys(db, await listTenantIds(db)) }))
    : undefined;
  const numberCheck = config.NUMBER_CHECK_INTERVAL_MINUTES > 0 ? scheduleNumberCheck(config, telephony) : undefined;
  const dialler = config.CAMPAIGN_TICK_SECONDS > 0 ? scheduleCampaigns(config, telephony) : undefined;
  const lostCallSweep = config.LOST_CALL_SWEEP_SECONDS > 0
    ? every(config.LOST_CALL_SWEEP_SECONDS * 1000, "lost-call sweep", async () => {
        const swept = await reapLostCalls(db);
        if (swept.found) log({ level: "warn", msg: "calls closed: their relay went silent", ...swept });
      })
    : undefined;
  return {
    async stop() {
      clearInterval(numberCheck);
      clearInterval(idempotencySweep);
      clearInterval(sweep);
      clearInterval(reconcile);
      clearInterval(dialler);
      clearInterval(lostCallSweep);
      await Promise.all(pools.map((pool) => pool.stop(5000)));
      await boss.stop({ graceful: true, timeout: 5000, wait: true });
      await db.$pool.end();
    },
  };
}

const log = fieldLogger(serviceLogger("jobs"));

/**
 * One job in its own span, continuing the trace of whatever enqueued it (the job's `traceparent`),
 * with its ids on every log line, and counted.
 */
export function observeJob<T extends object>(queue: string, job: PgBoss.Job<T>, handle: (job: PgBoss.Job<T>) => Promise<unknown>) {
  const data = job.data as { traceparent?: string; tenantId?: string; callId?: string };
  const started = performance.now();
  return withLogFields({ jobId: job.id, tenantId: data.tenantId, callId: data.callId }, () =>
    traced("jobs", `job ${queue}`, { "bvrai.queue": queue, "bvrai.job_id": job.id, ...(data.callId && { "bvrai.call_id": data.callId }) }, () => handle(job), { kind: SpanKind.CONSUMER, parent: contextFrom(data.traceparent) }),
  ).then(
    (r) => {
      jobsHandled.inc({ queue, outcome: "completed" });
      jobDuration.observe({ queue }, (performance.now() - started) / 1000);
      return r;
    },
    (err) => {
      jobsHandled.inc({ queue, outcome: "failed" });
      reportError(err, { queue, jobId: job.id, tenantId: data.tenantId });
      throw err;
    },
  );
}


/**
 * Every number's Twilio setup, checked on a timer in each jobs process. Running twice (two
 * processes) only repeats an idempotent repair, so no queue or lock is needed (docs/decisions/0011).
 */
function scheduleNumberCheck(config: JobsConfig, t: Telephony) {
  return setInterval(() => {
    checkAllNumbers(t, log)
      .then((drifted) => log({ msg: "numbers checked", drifted }))
      .catch((err) => log({ level: "error", msg: "number check failed", err: (err as Error).message }));
  }, config.NUMBER_CHECK_INTERVAL_MINUTES * 60_000);
}

/** The campaign dialler: one pass at a time; its claims live in the database, so processes may overlap safely. */
function scheduleCampaigns(config: JobsConfig, t: Telephony) {
  let running = false;
  return setInterval(() => {
    if (running) return;
    running = true;
    dialCampaigns(t, log)
      .then((dialled) => dialled && log({ msg: "campaign calls placed", dialled }))
      .catch((err) => log({ level: "error", msg: "campaign pass failed", err: (err as Error).message }))
      .finally(() => {
        running = false;
      });
  }, config.CAMPAIGN_TICK_SECONDS * 1000);
}

/** A periodic task that logs its failure and tries again next time. */
function every(ms: number, what: string, task: () => Promise<unknown>) {
  return setInterval(() => {
    task().catch((err) => log({ level: "error", msg: `${what} failed`, err: (err as Error).message }));
  }, ms);
}
