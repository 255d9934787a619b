export type CappedBody = { ok: true; body: Uint8Array<ArrayBuffer> } | { ok: false; reason: "too_large" | "unreadable" };

/**
 * A request's body, read whole, or a refusal. The declared Content-Length is checked before a
 * byte is read; a body without one (chunked) is stopped as soon as it passes `max`, so no more
 * than `max` bytes are ever held. A body the sender broke off is `unreadable`, not an exception.
 */
export async function readCappedBody(request: Request, max: number): Promise<CappedBody> {
  if (Number(request.headers.get("content-length") ?? 0) > max) return { ok: false, reason: "too_large" };
  if (!request.body) return { ok: true, body: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        reader.releaseLock();
        return { ok: false, reason: "too_large" };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, reason: "unreadable" };
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return { ok: true, body };
}
