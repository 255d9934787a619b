import { startJobsWorker } from "../../app/jobs/worker.server";
import { loadJobsConfig } from "../../core/config";

/** The jobs worker as tests run it: every periodic task off unless `env` turns it on. */
export const testJobsEnv = (appUrl: string, env: Record<string, string> = {}) => ({
  DATABASE_URL: appUrl,
  JOBS_MAINTENANCE_INTERVAL_SECONDS: "1",
  CAMPAIGN_TICK_SECONDS: "0",
  NUMBER_CHECK_INTERVAL_MINUTES: "0",
  RECORDING_SWEEP_MINUTES: "0",
  IDEMPOTENCY_SWEEP_MINUTES: "0",
  USAGE_RECONCILE_HOURS: "0",
  LOST_CALL_SWEEP_SECONDS: "0",
  WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: "true",
  ...env,
});

export const startTestJobsWorker = (appUrl: string, env: Record<string, string>) =>
  startJobsWorker(loadJobsConfig(testJobsEnv(appUrl, env)));
