import type { PiiCipher } from "../../core/crypto/pii";
import { chunkText } from "../../core/knowledge/chunk";
import type { Embedder } from "../../core/knowledge/embeddings";
import { type KbIngestJob, markDocumentFailed, startProcessing, storeChunks } from "../../db/queries/knowledge";
import { documentUpload, saveDocumentText } from "../../db/queries/knowledge-uploads";
import type { Db } from "../../db/tenant";
import { DocumentError } from "./extract.server";
import { DEFAULT_READ_BUDGET, type ReadBudget, readDocument } from "./reader.server";

export type IngestDeps = {
  db: Db;
  pii: PiiCipher;
  embedderFor: (tenantId: string) => Promise<Embedder>;
  readBudget?: ReadBudget;
};

/**
 * The `kb.ingest` job: an upload is read (in a reader process, within its budget), then chunked,
 * embedded and stored. A document at fault is marked failed at once with the reason, its upload
 * kept; anything else throws, so the queue retries (a jobs process killed mid-read included: its
 * job expires and runs again). Out of retries, `failIngest` marks the document failed.
 */
export async function ingestDocument(deps: IngestDeps, job: KbIngestJob) {
  const doc = await startProcessing(deps.db, job);
  if (!doc) return { chunks: 0, reason: "document deleted" };
  let text = doc.source;
  if (!text) {
    const upload = await documentUpload(deps.db, deps.pii, job);
    if (!upload) return fail(deps, job, `${doc.name} has no text`);
    try {
      text = (await readDocument(doc.name, upload, deps.readBudget ?? DEFAULT_READ_BUDGET)).text;
    } catch (err) {
      if (err instanceof DocumentError) return fail(deps, job, err.message);
      throw err;
    }
    await saveDocumentText(deps.db, job, text);
  }
  const chunks = chunkText(text);
  const embeddings = await (await deps.embedderFor(job.tenantId)).embed(chunks);
  await storeChunks(
    deps.db,
    doc,
    chunks.map((content, i) => ({ content, embedding: embeddings[i]! })),
  );
  return { chunks: chunks.length };
}

async function fail(deps: IngestDeps, job: KbIngestJob, reason: string) {
  await markDocumentFailed(deps.db, job, reason);
  return { chunks: 0, failed: reason };
}

export const failIngest = (deps: IngestDeps, job: KbIngestJob) =>
  markDocumentFailed(
    deps.db,
    job,
    "Processing failed after repeated tries: the embeddings service or the document reader did not answer. Try again later.",
  );
