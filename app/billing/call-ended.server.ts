import type PgBoss from "pg-boss";
import { serviceLogger } from "../../core/telemetry";
import { recordCallUsage } from "../../db/queries/usage";
import type { CallEndedJob } from "../../db/queue";
import type { Db } from "../../db/tenant";

/** Bills an ended call. Idempotent, so a retry after a crash does nothing twice. */
export async function handleCallEnded(db: Db, job: PgBoss.Job<CallEndedJob>) {
  const result = await recordCallUsage(db, job.data);
  serviceLogger("jobs").info(
    { jobId: job.id, callId: job.data.callId, ...result, amount: String(result.amount ?? "") },
    "call.ended handled",
  );
}
