import { type SQL, sql } from "drizzle-orm";
import { activeTraceparent } from "../core/telemetry/active-trace";
import type { Tx } from "./tenant";

export const queues = {
  callEnded: "call.ended",
  callAnalyze: "call.analyze",
  kbIngest: "kb.ingest",
  testRun: "test.run",
  callPrice: "call.price",
  recordingStore: "recording.store",
  transferFallback: "transfer.fallback",
  usageReport: "usage.report",
  webhookEvent: "webhook.event",
  webhookDeliver: "webhook.deliver",
} as const;
export type CallEndedJob = { tenantId: string; callId: string };

/** pg-boss speaks `$1` placeholders; this runs its SQL on any Drizzle transaction (pg, Neon, PGlite). */
function executor(tx: Tx) {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const parts = text.split(/\$(\d+)/);
      const query: SQL = sql.empty();
      parts.forEach((part, i) => {
        if (i % 2 === 0) query.append(sql.raw(part));
        else query.append(sql`${values[Number(part) - 1] ?? null}`); // drizzle drops undefined
      });
      const result = (await tx.execute(query)) as unknown as { rows: unknown[] };
      return { rows: result.rows };
    },
  };
}

/**
 * pg-boss 10's `send`, as one statement: the job takes its retry, expiry, retention and dead-letter
 * settings from its queue's policy (created in the migrations). Written here rather than calling
 * the pg-boss client because that client pulls in `pg`, which the edge worker cannot bundle.
 * ON CONFLICT: a job with the same singleton key already queued (the queue's unique index).
 */
const insertJob = `
  INSERT INTO pgboss.job (name, data, singleton_key, start_after, dead_letter, expire_in, keep_until, retry_limit, retry_delay, retry_backoff, policy)
  SELECT q.name, $2::jsonb, $3, now() + $4::int * interval '1s', q.dead_letter,
    COALESCE(q.expire_seconds, 900) * interval '1s',
    now() + $4::int * interval '1s' + COALESCE(q.retention_minutes, 20160) * interval '1 minute',
    COALESCE(q.retry_limit, 2),
    CASE WHEN COALESCE(q.retry_backoff, false) THEN GREATEST(COALESCE(q.retry_delay, 0), 1) ELSE COALESCE(q.retry_delay, 0) END,
    COALESCE(q.retry_backoff, false),
    q.policy
  FROM pgboss.queue q WHERE q.name = $1
  ON CONFLICT DO NOTHING
  RETURNING id`;

/**
 * Enqueues in the caller's transaction: the job exists if and only if the transaction commits.
 * Null: already queued (same singleton key). `startAfterSeconds` delays it (a retry schedule).
 */
export async function enqueue<T extends object>(
  tx: Tx,
  name: string,
  data: T,
  singletonKey?: string,
  startAfterSeconds = 0,
) {
  // The job continues the trace of the work that queued it (none where no tracer is registered: the edge).
  const traceparent = activeTraceparent();
  const payload = traceparent ? { ...data, traceparent } : data;
  const { rows } = await executor(tx).executeSql(insertJob, [
    name,
    JSON.stringify(payload),
    singletonKey ?? null,
    Math.max(0, Math.round(startAfterSeconds)),
  ]);
  return (rows[0] as { id: string } | undefined)?.id ?? null;
}
