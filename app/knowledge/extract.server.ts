import { htmlToText } from "../../core/knowledge/html";
import { markdownToText } from "../../core/knowledge/markdown";
import { tidyWhitespace } from "../../core/knowledge/text-scan";

export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
export const MAX_TEXT_CHARS = 1_000_000;
export const MAX_PDF_PAGES = 2_000;
/** A refusal the tenant can act on: its message is shown as it is. */
export class DocumentError extends Error {}
export type DocumentKind = "text" | "markdown" | "html" | "pdf";

const KINDS: Record<string, DocumentKind> = {
  pdf: "pdf",
  md: "markdown",
  markdown: "markdown",
  html: "html",
  htm: "html",
  txt: "text",
  text: "text",
};

/** A file's kind from its name: only what we can read is accepted. */
export function kindOf(name: string): DocumentKind {
  const ext = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
  if (!Object.hasOwn(KINDS, ext)) throw new DocumentError(`${name}: upload .txt, .md, .html or .pdf files`);
  return KINDS[ext]!;
}

/** A PDF starts with `%PDF-`: checked on the first bytes, before the rest is read. */
export function checkStart(name: string, kind: DocumentKind, head: Uint8Array) {
  if (kind === "pdf" && new TextDecoder().decode(head.subarray(0, 5)) !== "%PDF-")
    throw new DocumentError(`${name} is not a PDF (it does not start like one)`);
}

/**
 * The text of an uploaded file, checked: size, encoding, and that there is text at all (a scanned
 * PDF has none). Every refusal says what to do about it. Runs in the reader process
 * (reader.server.ts), which bounds its time and memory.
 */
export async function extractDocument(name: string, bytes: Uint8Array): Promise<{ kind: DocumentKind; text: string }> {
  if (bytes.length === 0) throw new DocumentError(`${name} is empty`);
  if (bytes.length > MAX_DOCUMENT_BYTES)
    throw new DocumentError(
      `${name} is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB; split it into smaller files`,
    );
  const kind = kindOf(name);
  checkStart(name, kind, bytes);
  let text: string;
  if (kind === "pdf") text = await pdfText(name, bytes);
  else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new DocumentError(`${name} is not UTF-8 text; save it as UTF-8 and upload it again`);
    }
    text = kind === "html" ? htmlToText(text) : kind === "markdown" ? markdownToText(text) : text;
  }
  text = text.replaceAll("\0", "").trim();
  if (!text)
    throw new DocumentError(
      kind === "pdf" ? `${name} has no text layer (a scanned PDF?); upload a text version` : `${name} has no text`,
    );
  if (text.length > MAX_TEXT_CHARS) throw tooMuchText(name);
  return { kind, text };
}

const tooMuchText = (name: string) =>
  new DocumentError(`${name} has more than ${MAX_TEXT_CHARS.toLocaleString("en-US")} characters of text; split it`);

/**
 * A PDF's text layer, page by page, so a page count or a text size over the limits stops the work
 * early (unpdf's `extractText` asks for every page at once). Fonts stay unloaded as fonts, and no
 * WebAssembly or image decoding is used: only the text is wanted.
 */
async function pdfText(name: string, bytes: Uint8Array) {
  const { getDocumentProxy } = await import("unpdf"); // 1.6 MB of pdf.js: loaded only for PDFs
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes), {
      verbosity: 0,
      useWasm: false,
      useSystemFonts: false,
      disableFontFace: true,
      enableXfa: false,
      maxImageSize: 0,
      stopAtErrors: false,
    });
  } catch {
    throw new DocumentError(`${name} could not be read as a PDF (damaged or password-protected?)`);
  }
  if (pdf.numPages > MAX_PDF_PAGES)
    throw new DocumentError(
      `${name} has ${pdf.numPages.toLocaleString("en-US")} pages; at most ${MAX_PDF_PAGES.toLocaleString("en-US")} are read, so split it`,
    );
  const pages: string[] = [];
  let length = 0;
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n).catch(() => null);
    const content = await page?.getTextContent().catch(() => null);
    const text = (content?.items ?? [])
      .map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : ""))
      .join("");
    length += text.length;
    if (length > MAX_TEXT_CHARS) throw tooMuchText(name);
    pages.push(text);
    page?.cleanup();
  }
  await pdf.loadingTask.destroy();
  return tidyWhitespace(pages.join("\n"));
}
