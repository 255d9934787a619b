import { z } from "zod";
import type { PiiCipher } from "../../core/crypto/pii";
import { addDocument, deleteDocument, deleteKnowledgeBase } from "../../db/queries/knowledge";
import { addUploadedDocument, retryDocument } from "../../db/queries/knowledge-uploads";
import type { Db } from "../../db/tenant";
import { isId } from "../utils/params.server";
import { DocumentError, kindOf } from "./extract.server";
import { readKnowledgeForm } from "./upload.server";

const pasted = z.object({
  title: z.string().trim().min(1, "Give the text a title").max(120),
  text: z.string().trim().min(1, "Paste some text").max(1_000_000, "At most 1,000,000 characters; split it"),
});

export type KnowledgeFormResult = { error: string | null; added: string | null; status: number } | "deleted" | null;
const refused = (error: string, status = 400) => ({ error, added: null, status });
const ok = (added: string | null = null) => ({ error: null, added, status: 200 });

/**
 * The knowledge base page's actions: upload a file, paste text, retry or remove a document, remove
 * the base. An upload is stored, sealed, and queued; the jobs process reads it (docs/decisions/0026),
 * so the request answers at once. Null: no such knowledge base (or document) for this tenant.
 */
export async function knowledgeFormAction(
  deps: { db: Db; pii: PiiCipher },
  request: Request,
  { tenantId, kbId }: { tenantId: string; kbId: string },
): Promise<KnowledgeFormResult> {
  let form: FormData;
  try {
    form = await readKnowledgeForm(request);
  } catch (err) {
    if (err instanceof DocumentError)
      return refused(err.message, /larger than|characters/.test(err.message) ? 413 : 400);
    throw err;
  }
  const intent = form.get("intent");
  // A document id that is not one names no document: nothing to delete, nothing to retry.
  const documentId = form.get("documentId");
  if (intent === "delete-document") {
    if (isId(documentId)) await deleteDocument(deps.db, { tenantId, id: documentId });
    return ok();
  }
  if (intent === "retry-document")
    return isId(documentId) && (await retryDocument(deps.db, { tenantId, id: documentId }))
      ? ok()
      : refused("That document cannot be tried again");
  if (intent === "delete-base") return (await deleteKnowledgeBase(deps.db, { tenantId, id: kbId })) ? "deleted" : null;
  if (intent === "paste") {
    const parsed = pasted.safeParse({ title: form.get("title"), text: form.get("text") });
    if (!parsed.success) return refused(parsed.error.issues[0]!.message);
    const { title, text } = parsed.data;
    const added = await addDocument(deps.db, {
      tenantId,
      knowledgeBaseId: kbId,
      name: title,
      kind: "text",
      sizeBytes: new TextEncoder().encode(text).length,
      source: text,
    });
    return added ? ok(title) : null;
  }
  const file = form.get("file");
  if (!(file instanceof File) || !file.name) return refused("Choose a file to upload");
  const bytes = new Uint8Array(await file.arrayBuffer());
  const added = await addUploadedDocument(deps.db, deps.pii, {
    tenantId,
    knowledgeBaseId: kbId,
    name: file.name,
    kind: kindOf(file.name),
    bytes,
  });
  return added ? ok(file.name) : null;
}
