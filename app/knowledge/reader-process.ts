import { DocumentError, extractDocument } from "./extract.server";

/**
 * The reader process (started by reader.server.ts, one per document): it says it is ready, reads
 * the one document it is sent, answers, and exits. It holds no secrets and no database connection.
 */
export type ReaderAnswer =
  | { ok: true; kind: "text" | "markdown" | "html" | "pdf"; text: string }
  | { ok: false; reason: string; memory?: boolean };

const send = (message: unknown) =>
  new Promise<void>((resolve) => process.send?.(message, () => resolve()) ?? resolve());

async function answer(name: string, bytes: Uint8Array): Promise<ReaderAnswer> {
  try {
    return { ok: true, ...(await extractDocument(name, bytes)) };
  } catch (err) {
    if (err instanceof DocumentError) return { ok: false, reason: err.message };
    // The memory cap shows as a failed allocation; anything else is the document tripping the parser.
    const memory =
      err instanceof RangeError && /allocation failed|Invalid (typed )?array length|out of memory/i.test(err.message);
    return { ok: false, reason: `${name} could not be read (${err instanceof Error ? err.name : "error"})`, memory };
  }
}

process.on("disconnect", () => process.exit(0)); // the jobs process is gone: nobody wants the answer
process.once("message", (message: { name: string; bytes: Uint8Array }) => {
  void answer(message.name, message.bytes)
    .then(send)
    .finally(() => process.exit(0));
});
await send({ ready: true });
