import { BodyTooLarge, readCapped } from "../read-capped";

export type CappedBody =
  | { ok: true; body: Uint8Array<ArrayBuffer> }
  | { ok: false; reason: "too_large" | "unreadable" };

/** How long a forwarded body may take to arrive: the largest (10 MB) over a slow uplink. */
const BODY_SECONDS = 120;

/**
 * A request's body, read whole, or a refusal, with the limits of `readCapped`: the declared
 * Content-Length is checked before a byte is read, a body without one (chunked) is stopped as soon
 * as it passes `max`. A body the sender broke off, or that takes too long, is `unreadable`.
 */
export async function readCappedBody(request: Request, max: number): Promise<CappedBody> {
  if (Number(request.headers.get("content-length") ?? 0) > max) return { ok: false, reason: "too_large" };
  try {
    return { ok: true, body: await readCapped(request.body, { maxBytes: max, deadlineMs: BODY_SECONDS * 1000 }) };
  } catch (err) {
    return { ok: false, reason: err instanceof BodyTooLarge ? "too_large" : "unreadable" };
  }
}
