import { defineJob } from "../jobs/definition";
import { failIngest, ingestDocument } from "./ingest.server";

/**
 * A document read, chunked and embedded; out of retries, marked failed. Uploads are read one at a
 * time (reader.server.ts): a small batch keeps queued ones from expiring while they wait.
 */
export const ingestDocumentJob = defineJob({
  queue: "kb.ingest",
  handle: async (d, job) => {
    d.log({
      msg: "kb.ingest handled",
      jobId: job.id,
      documentId: job.data.documentId,
      ...(await ingestDocument(d.ingest, job.data)),
    });
  },
  batch: 2,
  retry: { limit: 3, delaySeconds: 10, backoff: true, expireSeconds: 600, deadLetter: true },
  onDead: { handle: (d, job) => failIngest(d.ingest, job.data), pollSeconds: 30 },
});
