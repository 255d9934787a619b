import { and, eq } from "drizzle-orm";
import type { PiiBlob, PiiCipher } from "../../core/crypto/pii";
import { follow } from "../pipeline";
import { kbDocuments, kbUploads, knowledgeBases } from "../schema";
import { type Db, withTenant } from "../tenant";
import type { KbIngestJob } from "./knowledge";

type Tenant = { tenantId: string };
const sealedFor = (tenantId: string, documentId: string): PiiBlob => ({
  tenantId,
  table: "kb_uploads",
  column: "sealed",
  rowId: documentId,
});

/**
 * Files an uploaded file, unread: the document (queued, no text yet), the file sealed to it, and
 * the job that will read it, in one transaction. Null: no such knowledge base for this tenant.
 */
export async function addUploadedDocument(
  db: Db,
  pii: PiiCipher,
  d: Tenant & {
    knowledgeBaseId: string;
    name: string;
    kind: "text" | "markdown" | "html" | "pdf";
    bytes: Uint8Array<ArrayBuffer>;
  },
) {
  const id = crypto.randomUUID();
  const sealed = await pii.encryptBlob(d.bytes, sealedFor(d.tenantId, id));
  return withTenant(db, d.tenantId, async (tx) => {
    const [kb] = await tx
      .select({ id: knowledgeBases.id })
      .from(knowledgeBases)
      .where(and(eq(knowledgeBases.id, d.knowledgeBaseId), eq(knowledgeBases.tenantId, d.tenantId)));
    if (!kb) return null;
    await tx.insert(kbDocuments).values({
      id,
      tenantId: d.tenantId,
      knowledgeBaseId: kb.id,
      name: d.name,
      kind: d.kind,
      sizeBytes: d.bytes.length,
      source: "",
    });
    await tx.insert(kbUploads).values({ documentId: id, tenantId: d.tenantId, sealed });
    await follow(tx, "documentAdded", { tenantId: d.tenantId, documentId: id });
    return { id };
  });
}

/** The document's uploaded file, opened; null once it has been indexed (or for a pasted text). */
export async function documentUpload(db: Db, pii: PiiCipher, { tenantId, documentId }: KbIngestJob) {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ sealed: kbUploads.sealed })
      .from(kbUploads)
      .where(and(eq(kbUploads.documentId, documentId), eq(kbUploads.tenantId, tenantId))),
  );
  return row ? pii.decryptBlob(row.sealed, sealedFor(tenantId, documentId)) : null;
}

/** The text read from the upload: a retry after this point (embeddings down) does not read it again. */
export async function saveDocumentText(db: Db, { tenantId, documentId }: KbIngestJob, text: string) {
  await withTenant(db, tenantId, (tx) =>
    tx
      .update(kbDocuments)
      .set({ source: text })
      .where(and(eq(kbDocuments.id, documentId), eq(kbDocuments.tenantId, tenantId))),
  );
}

/** A failed document back in the queue (its upload was kept); false if it is not this tenant's or has not failed. */
export function retryDocument(db: Db, { tenantId, id }: Tenant & { id: string }) {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .update(kbDocuments)
      .set({ status: "queued", error: null })
      .where(and(eq(kbDocuments.id, id), eq(kbDocuments.tenantId, tenantId), eq(kbDocuments.status, "failed")))
      .returning({ id: kbDocuments.id });
    if (!rows.length) return false;
    await follow(tx, "documentAdded", { tenantId, documentId: id });
    return true;
  });
}
