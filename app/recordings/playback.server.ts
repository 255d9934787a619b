import { type ChunkLayout, chunkSpan, MAX_HEADER_BYTES, parseChunkedHeader } from "../../core/crypto/chunked";
import { recordingOfCall } from "../../db/queries/recordings";
import { byteRange } from "../utils/byte-range";
import type { ObjectStore } from "./object-store.server";
import { type Recordings, recordingBlob } from "./recordings.server";

/** Chunks fetched from the store at a time while a range streams: 16 × 64 KiB. */
const CHUNKS_PER_READ = 16;

export type OpenRecording = {
  size: number;
  contentType: string;
  read(start: number, end: number): ReadableStream<Uint8Array>;
};
type Opener = { open(i: number, sealed: Uint8Array<ArrayBuffer>): Promise<Uint8Array> };

/**
 * The call's stored recording, ready to be read by byte range; null when there is none (another
 * tenant's call included). A chunked file decrypts only the chunks a range touches, as the range
 * is streamed. A file sealed whole (before ADR 0027) is decrypted whole, as it always was, until
 * the hourly sweep re-seals it in chunks.
 */
export async function openCallRecording(
  r: Pick<Recordings, "db" | "pii" | "store">,
  { tenantId, callId }: { tenantId: string; callId: string },
): Promise<OpenRecording | null> {
  const rec = await recordingOfCall(r.db, { tenantId, callId });
  if (rec?.status !== "stored" || !rec.storageKey) return null;
  const key = rec.storageKey;
  const field = recordingBlob(tenantId, rec.id);
  const contentType = rec.contentType ?? "audio/wav";
  const head = await r.store.getRange(key, 0, MAX_HEADER_BYTES);
  if (!head) return null;
  const layout = parseChunkedHeader(head);
  if (!layout) {
    const sealed = await r.store.get(key);
    if (!sealed) return null;
    const audio = await r.pii.decryptBlob(sealed, field);
    return { size: audio.length, contentType, read: (start, end) => once(audio.subarray(start, end + 1)) };
  }
  const opener = await r.pii.chunkOpener(layout, field);
  return {
    size: layout.plainLength,
    contentType,
    read: (start, end) => chunkStream(r.store, key, layout, opener, start, end),
  };
}

const once = (bytes: Uint8Array) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(bytes);
      c.close();
    },
  });

/** Plaintext bytes [start, end] (inclusive), fetched and opened a few chunks at a time as they are read. */
function chunkStream(store: ObjectStore, key: string, layout: ChunkLayout, opener: Opener, start: number, end: number) {
  let next = Math.floor(start / layout.chunkSize);
  const last = Math.floor(end / layout.chunkSize);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const upto = Math.min(last, next + CHUNKS_PER_READ - 1);
        const from = chunkSpan(layout, next).start;
        const to = chunkSpan(layout, upto).end;
        const sealed = await store.getRange(key, from, to);
        if (sealed?.length !== to - from) throw new Error("the stored recording is shorter than its header says");
        for (let i = next; i <= upto; i++) {
          const span = chunkSpan(layout, i);
          const plain = await opener.open(i, sealed.slice(span.start - from, span.end - from));
          const offset = i * layout.chunkSize;
          controller.enqueue(plain.subarray(Math.max(0, start - offset), Math.min(plain.length, end + 1 - offset)));
        }
        next = upto + 1;
        if (next > last) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}

/** 200 with the whole file, 206 with one range, or 416; never cached. */
export function recordingResponse(rec: OpenRecording, rangeHeader: string | null, headers: Record<string, string>) {
  const base = {
    ...headers,
    "content-type": rec.contentType,
    "accept-ranges": "bytes",
    "cache-control": "private, no-store",
  };
  const range = byteRange(rangeHeader, rec.size);
  if (range === "bad")
    return new Response(null, { status: 416, headers: { ...base, "content-range": `bytes */${rec.size}` } });
  if (!range)
    return new Response(rec.size ? rec.read(0, rec.size - 1) : null, {
      headers: { ...base, "content-length": String(rec.size) },
    });
  const length = range.end - range.start + 1;
  return new Response(rec.read(range.start, range.end), {
    status: 206,
    headers: {
      ...base,
      "content-length": String(length),
      "content-range": `bytes ${range.start}-${range.end}/${rec.size}`,
    },
  });
}
