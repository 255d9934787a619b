import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { follow } from "../pipeline";
import { kbChunks, kbDocuments, kbUploads, knowledgeBases } from "../schema";
import { type Db, withTenant } from "../tenant";

type Tenant = { tenantId: string };
export type KbIngestJob = { tenantId: string; documentId: string };

export function listKnowledgeBases(db: Db, { tenantId }: Tenant) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: knowledgeBases.id,
        name: knowledgeBases.name,
        createdAt: knowledgeBases.createdAt,
        documents: sql<number>`(select count(*)::int from ${kbDocuments} d where d.knowledge_base_id = ${knowledgeBases.id})`,
        pending: sql<number>`(select count(*)::int from ${kbDocuments} d where d.knowledge_base_id = ${knowledgeBases.id} and d.status in ('queued', 'processing'))`,
        failed: sql<number>`(select count(*)::int from ${kbDocuments} d where d.knowledge_base_id = ${knowledgeBases.id} and d.status = 'failed')`,
      })
      .from(knowledgeBases)
      .where(eq(knowledgeBases.tenantId, tenantId))
      .orderBy(desc(knowledgeBases.createdAt)),
  );
}

export async function getKnowledgeBase(db: Db, { tenantId, id }: Tenant & { id: string }) {
  const [kb] = await withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(knowledgeBases)
      .where(and(eq(knowledgeBases.id, id), eq(knowledgeBases.tenantId, tenantId))),
  );
  return kb ?? null;
}

export async function createKnowledgeBase(db: Db, { tenantId, name }: Tenant & { name: string }) {
  const [kb] = await withTenant(db, tenantId, (tx) => tx.insert(knowledgeBases).values({ tenantId, name }).returning());
  return kb!;
}

export async function deleteKnowledgeBase(db: Db, { tenantId, id }: Tenant & { id: string }) {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .delete(knowledgeBases)
      .where(and(eq(knowledgeBases.id, id), eq(knowledgeBases.tenantId, tenantId)))
      .returning({ id: knowledgeBases.id }),
  );
  return rows.length > 0;
}

/** The tenant's own knowledge bases among these ids (a foreign key ignores RLS, so ids are checked here). */
export async function ownKnowledgeBaseIds(db: Db, { tenantId, ids }: Tenant & { ids: string[] }) {
  if (!ids.length) return [];
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ id: knowledgeBases.id })
      .from(knowledgeBases)
      .where(and(eq(knowledgeBases.tenantId, tenantId), inArray(knowledgeBases.id, ids))),
  );
  return rows.map((r) => r.id);
}

/** Stores a pasted text and queues its processing, in one transaction. Null: no such base. Uploads: addUploadedDocument. */
export function addDocument(
  db: Db,
  d: Tenant & {
    knowledgeBaseId: string;
    name: string;
    kind: "text" | "markdown" | "html" | "pdf";
    sizeBytes: number;
    source: string;
  },
) {
  return withTenant(db, d.tenantId, async (tx) => {
    const [kb] = await tx
      .select({ id: knowledgeBases.id })
      .from(knowledgeBases)
      .where(and(eq(knowledgeBases.id, d.knowledgeBaseId), eq(knowledgeBases.tenantId, d.tenantId)));
    if (!kb) return null;
    const [doc] = await tx.insert(kbDocuments).values(d).returning({ id: kbDocuments.id });
    await follow(tx, "documentAdded", { tenantId: d.tenantId, documentId: doc!.id });
    return doc!;
  });
}

export function listDocuments(db: Db, { tenantId, knowledgeBaseId }: Tenant & { knowledgeBaseId: string }) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: kbDocuments.id,
        name: kbDocuments.name,
        kind: kbDocuments.kind,
        sizeBytes: kbDocuments.sizeBytes,
        status: kbDocuments.status,
        error: kbDocuments.error,
        chunks: kbDocuments.chunks,
        createdAt: kbDocuments.createdAt,
      })
      .from(kbDocuments)
      .where(and(eq(kbDocuments.tenantId, tenantId), eq(kbDocuments.knowledgeBaseId, knowledgeBaseId)))
      .orderBy(desc(kbDocuments.createdAt)),
  );
}

export async function deleteDocument(db: Db, { tenantId, id }: Tenant & { id: string }) {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .delete(kbDocuments)
      .where(and(eq(kbDocuments.id, id), eq(kbDocuments.tenantId, tenantId)))
      .returning({ id: kbDocuments.id }),
  );
  return rows.length > 0;
}

/** The ingest job's document, marked processing; null if it was deleted meanwhile. */
export async function startProcessing(db: Db, { tenantId, documentId }: KbIngestJob) {
  const [doc] = await withTenant(db, tenantId, (tx) =>
    tx
      .update(kbDocuments)
      .set({ status: "processing", error: null })
      .where(and(eq(kbDocuments.id, documentId), eq(kbDocuments.tenantId, tenantId)))
      .returning(),
  );
  return doc ?? null;
}

/** Replaces a document's chunks (a retried job starts over) and marks it ready; its upload, now read, goes. */
export function storeChunks(
  db: Db,
  doc: { tenantId: string; id: string; knowledgeBaseId: string },
  chunks: { content: string; embedding: number[] }[],
) {
  return withTenant(db, doc.tenantId, async (tx) => {
    await tx.delete(kbChunks).where(and(eq(kbChunks.documentId, doc.id), eq(kbChunks.tenantId, doc.tenantId)));
    for (let i = 0; i < chunks.length; i += 200)
      await tx.insert(kbChunks).values(
        chunks.slice(i, i + 200).map((c, j) => ({
          tenantId: doc.tenantId,
          knowledgeBaseId: doc.knowledgeBaseId,
          documentId: doc.id,
          ordinal: i + j,
          content: c.content,
          embedding: c.embedding,
        })),
      );
    await tx
      .update(kbDocuments)
      .set({ status: "ready", chunks: chunks.length, processedAt: sql`now()`, error: null })
      .where(eq(kbDocuments.id, doc.id));
    await tx.delete(kbUploads).where(and(eq(kbUploads.documentId, doc.id), eq(kbUploads.tenantId, doc.tenantId)));
  });
}

export async function markDocumentFailed(db: Db, { tenantId, documentId }: KbIngestJob, error: string) {
  await withTenant(db, tenantId, (tx) =>
    tx
      .update(kbDocuments)
      .set({ status: "failed", error })
      .where(and(eq(kbDocuments.id, documentId), eq(kbDocuments.tenantId, tenantId))),
  );
}
