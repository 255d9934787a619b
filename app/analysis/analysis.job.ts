import { defineJob } from "../jobs/definition";
import { analyzeCall, failCallAnalysis } from "./analyze.server";

/** A billed call, analysed. Out of retries, its analysis is marked failed. */
export const analyzeCallJob = defineJob({
  queue: "call.analyze",
  handle: async (d, job) => {
    d.log({
      msg: "call.analyze handled",
      jobId: job.id,
      callId: job.data.callId,
      ...(await analyzeCall(d.analysis, job.data)),
    });
  },
  batch: 50,
  retry: { limit: 4, delaySeconds: 10, backoff: true, expireSeconds: 120, deadLetter: true },
  onDead: { handle: (d, job) => failCallAnalysis(d.analysis, job.data), pollSeconds: 30 },
});
