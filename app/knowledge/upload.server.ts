import { type UploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { concatBytes } from "../../core/bytes";
import { BodyTimedOut, BodyTooLarge, cappedStream } from "../../core/read-capped";
import { checkStart, DocumentError, kindOf, MAX_DOCUMENT_BYTES } from "./extract.server";

/** Room for the form's other fields and the multipart framing around the file. */
const FORM_OVERHEAD = 64 * 1024;
/** `intent`, ids, a title: nothing else in these forms is long. */
const FIELD_BYTES = 4096;
/** The paste form: 1,000,000 characters of text, percent-encoded. */
const PASTE_BYTES = 12 * 1024 * 1024;
/** How long an upload may take to arrive (a slow sender holds a request, not the process). */
const UPLOAD_SECONDS = 120;

/**
 * The knowledge page's form, read within limits before anything is buffered whole: a declared
 * length over the cap is refused before a byte is read, a body that grows past it is cut off, and
 * an upload's name and first bytes (its kind) are checked before the rest of it is read.
 * Every refusal is a DocumentError with a message for the form.
 */
export async function readKnowledgeForm(request: Request): Promise<FormData> {
  const multipart = (request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data");
  const max = multipart ? MAX_DOCUMENT_BYTES + FORM_OVERHEAD : PASTE_BYTES;
  let file = "The file";
  const tooLarge = () =>
    new DocumentError(
      multipart
        ? `${file} is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB; split it into smaller files`
        : "At most 1,000,000 characters; split it",
    );
  if (Number(request.headers.get("content-length") ?? 0) > max) throw tooLarge();
  const body = cappedStream(request.body, { maxBytes: max, deadlineMs: UPLOAD_SECONDS * 1000 });
  try {
    if (!multipart) return formOf(new URLSearchParams(await new Response(body).text()));
    const capped = new Request(request.url, {
      method: "POST",
      headers: request.headers,
      body,
      duplex: "half",
    } as RequestInit);
    return await unstable_parseMultipartFormData(capped, (part) => {
      file = part.filename || file;
      return uploadHandler(part);
    });
  } catch (err) {
    if (err instanceof BodyTooLarge) throw tooLarge();
    if (err instanceof BodyTimedOut)
      throw new DocumentError(`The upload took longer than ${UPLOAD_SECONDS} seconds to arrive; try again`);
    if (err instanceof DocumentError) throw err;
    throw new DocumentError("The form could not be read; try again");
  }
}

function formOf(params: URLSearchParams) {
  const form = new FormData();
  for (const [k, v] of params) form.append(k, v);
  return form;
}

/** The file is checked by name before its bytes are read, and by its first bytes before the rest. */
const uploadHandler: UploadHandler = async ({ name, filename, data }) => {
  if (filename === undefined)
    return new TextDecoder().decode(
      await collect(data, FIELD_BYTES, () => new DocumentError("A form field is too long")),
    );
  if (name !== "file") throw new DocumentError("Upload one file at a time");
  if (!filename) {
    await collect(data, 0, () => new DocumentError("Choose a file to upload")); // no file chosen: an empty part
    return null;
  }
  const kind = kindOf(filename);
  const bytes = await collect(
    data,
    MAX_DOCUMENT_BYTES,
    () =>
      new DocumentError(
        `${filename} is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB; split it into smaller files`,
      ),
    (head) => checkStart(filename, kind, head),
  );
  if (!bytes.length) throw new DocumentError(`${filename} is empty`);
  return new File([bytes], filename);
};

/** A part's bytes, at most `max` of them; `onHead` sees the first five as soon as they are in. */
async function collect(
  data: AsyncIterable<Uint8Array>,
  max: number,
  tooLong: () => Error,
  onHead?: (head: Uint8Array) => void,
) {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of data) {
    size += chunk.byteLength;
    if (size > max) throw tooLong();
    chunks.push(chunk);
    if (onHead && size >= 5) {
      onHead(concatBytes(chunks, size).subarray(0, 5));
      onHead = undefined;
    }
  }
  if (onHead && size) onHead(concatBytes(chunks, size));
  return concatBytes(chunks, size);
}
