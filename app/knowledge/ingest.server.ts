import { chunkText } from "../../core/knowledge/chunk";
import type { Embedder } from "../../core/knowledge/embeddings";
import { type KbIngestJob, markDocumentFailed, startProcessing, storeChunks } from "../../db/queries/knowledge";
import type { Db } from "../../db/tenant";

export type IngestDeps = { db: Db; embedderFor: (tenantId: string) => Promise<Embedder> };

/**
 * Processes an uploaded document: chunks, embeddings, stored. An embeddings failure throws, so
 * the queue retries; out of retries, `failIngest` marks the document failed with the reason.
 */
export async function ingestDocument(deps: IngestDeps, job: KbIngestJob) {
  const doc = await startProcessing(deps.db, job);
  if (!doc) return { chunks: 0, reason: "document deleted" };
  const chunks = chunkText(doc.source);
  const embeddings = await (await deps.embedderFor(job.tenantId)).embed(chunks);
  await storeChunks(deps.db, doc, chunks.map((content, i) => ({ content, embedding: embeddings[i]! })));
  return { chunks: chunks.length };
}

export const failIngest = (deps: IngestDeps, job: KbIngestJob) =>
  markDocumentFailed(deps.db, job, "Processing failed after repeated tries: the embeddings service did not answer. Upload the document again later.");
