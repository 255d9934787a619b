import PgBoss from "pg-boss";
import type { JobsConfig } from "../../core/config";
import { createNodeDb } from "../../db/node-client";
import { type CallEndedJob, queues } from "../../db/queue";
import { handleCallEnded } from "./call-ended.server";

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
  boss.on("error", (err) => console.error(JSON.stringify({ service: "jobs", level: "error", err: err.message })));
  await boss.start();
  await boss.work<CallEndedJob>(queues.callEnded, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
    if (job) await handleCallEnded(db, job, config.CALL_PRICE_MICROS_PER_SECOND);
  });
  return {
    async stop() {
      await boss.stop({ graceful: true, timeout: 5000, wait: true });
      await db.$pool.end();
    },
  };
}
