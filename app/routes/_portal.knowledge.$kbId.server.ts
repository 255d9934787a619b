import { data } from "@remix-run/node";
import { z } from "zod";
import { addDocument, deleteDocument, deleteKnowledgeBase } from "../../db/queries/knowledge";
import { DocumentError, extractDocument, MAX_DOCUMENT_BYTES } from "~/knowledge/extract.server";
import { db } from "~/utils/db.server";

const pasted = z.object({
  title: z.string().trim().min(1, "Give the text a title").max(120),
  text: z.string().trim().min(1, "Paste some text").max(1_000_000, "At most 1,000,000 characters; split it"),
});

/** The knowledge base page's actions: upload a file, paste text, remove a document or the base. */
export async function knowledgeAction(form: FormData, { tenantId, kbId }: { tenantId: string; kbId: string }) {
  const intent = form.get("intent");
  if (intent === "delete-document") {
    await deleteDocument(db, { tenantId, id: String(form.get("documentId") ?? "") }).catch(() => false);
    return { error: null, added: null };
  }
  if (intent === "delete-base") return (await deleteKnowledgeBase(db, { tenantId, id: kbId })) ? "deleted" : null;
  let doc: { name: string; kind: "text" | "markdown" | "html" | "pdf"; sizeBytes: number; source: string };
  if (intent === "paste") {
    const parsed = pasted.safeParse({ title: form.get("title"), text: form.get("text") });
    if (!parsed.success) return data({ error: parsed.error.issues[0]!.message, added: null }, { status: 400 });
    doc = { name: parsed.data.title, kind: "text", sizeBytes: new TextEncoder().encode(parsed.data.text).length, source: parsed.data.text };
  } else {
    const file = form.get("file");
    if (!(file instanceof File) || !file.name) return data({ error: "Choose a file to upload", added: null }, { status: 400 });
    if (file.size > MAX_DOCUMENT_BYTES) return data({ error: `${file.name} is larger than 5 MB; split it into smaller files`, added: null }, { status: 400 });
    try {
      const { kind, text } = await extractDocument(file.name, new Uint8Array(await file.arrayBuffer()));
      doc = { name: file.name, kind, sizeBytes: file.size, source: text };
    } catch (err) {
      if (err instanceof DocumentError) return data({ error: err.message, added: null }, { status: 400 });
      throw err;
    }
  }
  const added = await addDocument(db, { tenantId, knowledgeBaseId: kbId, ...doc });
  return added ? { error: null, added: doc.name } : null;
}
