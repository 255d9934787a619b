import { extractText, getDocumentProxy } from "unpdf";
import { htmlToText } from "../../core/knowledge/html";
import { markdownToText } from "../../core/knowledge/markdown";

export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
const MAX_TEXT_CHARS = 1_000_000;
export class DocumentError extends Error {}
export type DocumentKind = "text" | "markdown" | "html" | "pdf";

/** A file's kind from its name (and, for PDFs, its first bytes): only what we can read is accepted. */
export function kindOf(name: string, bytes: Uint8Array): DocumentKind {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (ext === "pdf") {
    if (new TextDecoder().decode(bytes.subarray(0, 5)) !== "%PDF-") throw new DocumentError(`${name} is not a PDF (it does not start like one)`);
    return "pdf";
  }
  if (ext === "md" || ext === "markdown") return "markdown";
  if (ext === "html" || ext === "htm") return "html";
  if (ext === "txt" || ext === "text") return "text";
  throw new DocumentError(`${name}: upload .txt, .md, .html or .pdf files`);
}

/**
 * The text of an uploaded file, checked: size, encoding, and that there is text at all (a scanned
 * PDF has none). Every refusal says what to do about it.
 */
export async function extractDocument(name: string, bytes: Uint8Array): Promise<{ kind: DocumentKind; text: string }> {
  if (bytes.length === 0) throw new DocumentError(`${name} is empty`);
  if (bytes.length > MAX_DOCUMENT_BYTES) throw new DocumentError(`${name} is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB; split it into smaller files`);
  const kind = kindOf(name, bytes);
  let text: string;
  if (kind === "pdf") {
    try {
      const pdf = await getDocumentProxy(new Uint8Array(bytes));
      text = (await extractText(pdf, { mergePages: true })).text as string;
    } catch {
      throw new DocumentError(`${name} could not be read as a PDF (damaged or password-protected?)`);
    }
  } else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new DocumentError(`${name} is not UTF-8 text; save it as UTF-8 and upload it again`);
    }
    text = kind === "html" ? htmlToText(text) : kind === "markdown" ? markdownToText(text) : text;
  }
  text = text.replaceAll("\0", "").trim();
  if (!text) throw new DocumentError(kind === "pdf" ? `${name} has no text layer (a scanned PDF?); upload a text version` : `${name} has no text`);
  if (text.length > MAX_TEXT_CHARS) throw new DocumentError(`${name} has more than ${MAX_TEXT_CHARS.toLocaleString("en-US")} characters of text; split it`);
  return { kind, text };
}
