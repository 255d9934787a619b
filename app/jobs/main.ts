import { loadJobsConfig } from "../../core/config";
import { queues } from "../../db/queue";
import { startJobsWorker } from "./worker.server";

const config = loadJobsConfig(process.env);
const worker = await startJobsWorker(config);
console.log(JSON.stringify({ service: "jobs", msg: "started", queues: Object.values(queues), stripe: Boolean(config.STRIPE_SECRET_KEY), recordings: config.RECORDINGS_S3_BUCKET ? "s3" : config.RECORDINGS_DIR }));
const stop = () => worker.stop().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
