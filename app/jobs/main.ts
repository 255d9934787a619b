import { loadJobsConfig } from "../../core/config";
import { startJobsWorker } from "./worker.server";

const config = loadJobsConfig(process.env);
const worker = await startJobsWorker(config);
console.log(JSON.stringify({ service: "jobs", msg: "started", queues: ["call.ended"] }));
const stop = () => worker.stop().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
