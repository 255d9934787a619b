import { jobQueueAge, jobQueueDepth } from "../../core/telemetry/metrics";
import type { NodeDb } from "../../db/node-client";
import { queues } from "../../db/queue";

type Row = { name: string; state: string; n: number; oldest: number | null };

/** Queue depth and the age of the oldest waiting job, per queue, read from pg-boss's table. */
export async function measureQueues(db: NodeDb) {
  const { rows } = await db.$pool.query<Row>(`
    SELECT name, state, count(*)::int AS n,
      extract(epoch FROM now() - min(created_on) FILTER (WHERE state IN ('created', 'retry') AND start_after <= now()))::float AS oldest
    FROM pgboss.job WHERE state IN ('created', 'retry', 'active') GROUP BY name, state`);
  jobQueueDepth.reset();
  for (const queue of Object.values(queues)) {
    for (const state of ["created", "retry", "active"]) jobQueueDepth.set({ queue, state }, 0);
    jobQueueAge.set({ queue }, 0);
  }
  const oldest = new Map<string, number>();
  for (const r of rows) {
    jobQueueDepth.set({ queue: r.name, state: r.state }, r.n);
    if (r.oldest != null) oldest.set(r.name, Math.max(oldest.get(r.name) ?? 0, r.oldest));
  }
  for (const [queue, age] of oldest) jobQueueAge.set({ queue }, age);
  return rows;
}
