import { concatBytes } from "./bytes";
export class BodyTooLarge extends Error {
  override name = "BodyTooLarge";
}
export class BodyTimedOut extends Error {
  override name = "BodyTimedOut";
}

/**
 * Reads a body into memory, counting bytes as they arrive: past `maxBytes`, or when the whole body
 * has not arrived within `deadlineMs`, the stream is cancelled and the read fails. Whatever a
 * Content-Length header claimed, no more than `maxBytes` plus one chunk is ever held.
 */
export async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  limits: { maxBytes: number; deadlineMs: number },
): Promise<Uint8Array<ArrayBuffer>> {
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new BodyTimedOut(`the body took longer than ${limits.deadlineMs} ms`)),
      limits.deadlineMs,
    );
  });
  expired.catch(() => {});
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), expired]);
      if (done) break;
      total += value.byteLength;
      if (total > limits.maxBytes) throw new BodyTooLarge(`the body is larger than ${limits.maxBytes} bytes`);
      chunks.push(value);
    }
  } catch (err) {
    reader.cancel().catch(() => {});
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return concatBytes(chunks, total);
}

/**
 * The same limits on a body that is consumed as a stream (a multipart upload parsed part by part):
 * the stream errors with BodyTooLarge once more than `maxBytes` have passed, or BodyTimedOut once
 * `deadlineMs` has, and the source is cancelled.
 */
export function cappedStream(
  body: ReadableStream<Uint8Array> | null,
  limits: { maxBytes: number; deadlineMs: number },
): ReadableStream<Uint8Array> {
  if (!body) return new ReadableStream({ start: (c) => c.close() });
  const reader = body.getReader();
  let total = 0;
  const deadline = Date.now() + limits.deadlineMs;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new BodyTimedOut(`the body took longer than ${limits.deadlineMs} ms`)),
          Math.max(0, deadline - Date.now()),
        );
      });
      try {
        const { done, value } = await Promise.race([reader.read(), expired]);
        if (done) return controller.close();
        total += value.byteLength;
        if (total > limits.maxBytes) throw new BodyTooLarge(`the body is larger than ${limits.maxBytes} bytes`);
        controller.enqueue(value);
      } catch (err) {
        reader.cancel().catch(() => {});
        controller.error(err);
      } finally {
        clearTimeout(timer);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
