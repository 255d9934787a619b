/**
 * Every outbound request has a total deadline and a size cap (docs/decisions/0027). `deadlineMs`
 * covers the whole exchange (name lookup, connect, headers and body), not the gaps between bytes:
 * a peer that drips a byte a second cannot hold it. `maxBytes` bounds what is read of the answer.
 */
export type Limits = { deadlineMs: number; maxBytes: number };

export type OutboundFailure = "refused" | "unresolvable" | "timeout" | "too_large" | "network";

export class OutboundError extends Error {
  override name = "OutboundError";
  /** `withoutHost`: the same said without the host name, for what is stored in clear. */
  constructor(
    readonly kind: OutboundFailure,
    message: string,
    readonly withoutHost: string = message,
  ) {
    super(message);
  }
}

export const timedOut = (ms: number) => new OutboundError("timeout", `no complete answer within ${ms} ms`);
export const tooLarge = (max: number) => new OutboundError("too_large", `the answer is larger than ${max} bytes`);

export type BoundedResponse = { status: number; headers: Headers; body: Uint8Array<ArrayBuffer>; truncated: boolean };

/**
 * `fetch` under `limits`. Past `maxBytes` the answer is cut (`overflow: "truncate"`, the default:
 * its first bytes are kept and the rest is not read) or refused (`"fail"`). Redirects are not
 * followed unless `init.redirect` says so. Runtime-neutral (Workers and Node).
 */
export async function boundedFetch(
  url: string | URL,
  init: RequestInit,
  limits: Limits & { overflow?: "truncate" | "fail" },
): Promise<BoundedResponse> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(timedOut(limits.deadlineMs)), limits.deadlineMs);
  const outer = init.signal;
  const passOn = () => deadline.abort(outer?.reason);
  outer?.addEventListener("abort", passOn, { once: true });
  try {
    const res = await fetch(url, { ...init, redirect: init.redirect ?? "manual", signal: deadline.signal });
    if (limits.overflow === "fail" && Number(res.headers.get("content-length") ?? 0) > limits.maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw tooLarge(limits.maxBytes);
    }
    const { body, truncated } = await readCapped(res.body, limits.maxBytes);
    if (truncated && limits.overflow === "fail") throw tooLarge(limits.maxBytes);
    return { status: res.status, headers: res.headers, body, truncated };
  } catch (err) {
    if (err instanceof OutboundError) throw err;
    if (deadline.signal.reason instanceof OutboundError) throw deadline.signal.reason;
    if (outer?.aborted) throw err;
    throw new OutboundError("network", `the request failed: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", passOn);
    deadline.abort(new OutboundError("network", "done"));
  }
}

/** Reads at most `max` bytes of a body, then cancels the rest (the peer's endless answer is not read). */
export async function readCapped(stream: ReadableStream<Uint8Array> | null, max: number) {
  const parts: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  if (stream) {
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.length > max) {
        parts.push(value.subarray(0, max - size));
        size = max;
        truncated = true;
        await reader.cancel().catch(() => undefined);
        break;
      }
      parts.push(value);
      size += value.length;
    }
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    body.set(p, at);
    at += p.length;
  }
  return { body, truncated };
}
