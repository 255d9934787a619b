import { loadJobsConfig } from "../../core/config";
import { startTelemetry } from "../../core/telemetry";
import { startOpsServer } from "../../core/telemetry/health";
import { installProcessPolicy } from "../../core/telemetry/process-policy";
import { flushSentry } from "../../core/telemetry/sentry";
import { createNodeDb } from "../../db/node-client";
import { queues } from "../../db/queue";
import { measureQueues } from "./queue-metrics.server";
import { startJobsWorker } from "./worker.server";

const config = loadJobsConfig(process.env);
const { log, logger, tracing } = startTelemetry("jobs", config);
installProcessPolicy(logger);
const worker = await startJobsWorker(config);
log({
  msg: "started",
  queues: Object.values(queues),
  stripe: Boolean(config.STRIPE_SECRET_KEY),
  recordings: config.RECORDINGS_S3_BUCKET ? "s3" : config.RECORDINGS_DIR,
});

// The queues' depth and age for /metrics, and the readiness check: one small pool of its own.
const opsDb = createNodeDb(config.DATABASE_URL, { max: 1, localRole: config.DATABASE_LOCAL_ROLE });
let stopping = false;
const measure = () =>
  measureQueues(opsDb).catch((err) => log({ level: "warn", msg: "queue metrics unavailable", err: String(err) }));
const gauges = setInterval(measure, 10_000);
void measure();
const ops = config.OPS_PORT
  ? await startOpsServer({
      port: config.OPS_PORT,
      service: "jobs",
      checks: { database: () => opsDb.$pool.query("select 1") },
      draining: () => stopping,
    })
  : undefined;

const stop = async () => {
  if (stopping) return;
  stopping = true;
  clearInterval(gauges);
  await worker.stop();
  ops?.close();
  await Promise.all([tracing.flush(), flushSentry(), opsDb.$pool.end()]);
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
