import PgBoss from "pg-boss";
import type { JobsConfig } from "../../core/config";
import { withLogFields } from "../../core/telemetry";
import { jobDuration, jobsHandled } from "../../core/telemetry/metrics";
import { reportError } from "../../core/telemetry/sentry";
import { contextFrom, SpanKind, traced } from "../../core/telemetry/tracing";
import type { ScheduleDefinition } from "./definition";
import { buildJobDeps, type JobDeps, jobsLog as log } from "./deps.server";
import { workPool } from "./pool.server";
import { jobs, schedules } from "./registry.server";

/**
 * The jobs process: every queue of the registry worked by its own pool, every schedule on its
 * timer. The schema and queues come from migrations (`migrate: false`); pg-boss supervises expiry,
 * so a job held by a process that died is retried after `expireInSeconds`.
 */
export async function startJobsWorker(config: JobsConfig) {
  const deps = buildJobDeps(config);
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
  const onError = (msg: string, err: unknown) =>
    log({ level: "error", msg, err: (err as Error)?.message ?? String(err) });
  // Up to `batch` jobs of a queue side by side, each completed or failed alone (app/jobs/pool.server.ts).
  const pools = jobs.flatMap(({ queue, handle, batch = 20, pollSeconds = 1, limits, onDead }) => [
    workPool<object>(boss, queue, (job) => observeJob(queue, job, (j) => handle(deps, j as never)), {
      concurrency: batch,
      pollMs: pollSeconds * 1000,
      limitsOf: limits?.of as ((data: object) => [string, number][]) | undefined,
      deferSeconds: limits?.deferSeconds,
      onError,
    }),
    ...(onDead
      ? [
          workPool<object>(
            boss,
            `${queue}.dead`,
            (job) => observeJob(`${queue}.dead`, job, (j) => onDead.handle(deps, j as never)),
            { concurrency: 20, pollMs: onDead.pollSeconds * 1000, onError },
          ),
        ]
      : []),
  ]);
  const timers = schedules.filter((s) => s.everyMs(config) > 0).map((s) => every(s, deps));
  return {
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await Promise.all(pools.map((pool) => pool.stop(5000)));
      await boss.stop({ graceful: true, timeout: 5000, wait: true });
      await deps.db.$pool.end();
    },
  };
}

/**
 * One job in its own span, continuing the trace of whatever enqueued it (the job's `traceparent`),
 * with its ids on every log line, and counted.
 */
export function observeJob<T extends object>(
  queue: string,
  job: PgBoss.Job<T>,
  handle: (job: PgBoss.Job<T>) => Promise<unknown>,
) {
  const data = job.data as { traceparent?: string; tenantId?: string; callId?: string };
  const started = performance.now();
  return withLogFields({ jobId: job.id, tenantId: data.tenantId, callId: data.callId }, () =>
    traced(
      "jobs",
      `job ${queue}`,
      { "bvrai.queue": queue, "bvrai.job_id": job.id, ...(data.callId && { "bvrai.call_id": data.callId }) },
      () => handle(job),
      { kind: SpanKind.CONSUMER, parent: contextFrom(data.traceparent) },
    ),
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

/** A schedule on its timer: a failed run is logged and tried again next time. */
function every(s: ScheduleDefinition, deps: JobDeps) {
  let running = false;
  return setInterval(() => {
    if (s.oneAtATime && running) return;
    running = true;
    s.run(deps)
      .catch((err) => log({ level: "error", msg: `${s.name} failed`, err: (err as Error).message }))
      .finally(() => {
        running = false;
      });
  }, s.everyMs(deps.config));
}
