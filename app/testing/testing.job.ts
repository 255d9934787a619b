import { defineJob } from "../jobs/definition";
import { runSuite } from "./run-suite.server";

/** A started test suite run, carried out. */
export const runSuiteJob = defineJob({
  queue: "test.run",
  handle: async (d, job) => {
    d.log({ msg: "test.run handled", jobId: job.id, runId: job.data.runId, ...(await runSuite(d.suites, job.data)) });
  },
  batch: 2,
  retry: { limit: 1, delaySeconds: 5, backoff: false, expireSeconds: 900, deadLetter: false },
});
