export type RetryOptions = {
  /** Further attempts after the first (429, 5xx and network failures only). */
  maxRetries?: number;
  /** Wait when the server gives no Retry-After: baseDelayMs × 2^attempt, with jitter, at most maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
};

const retryable = (status: number) => status === 429 || status >= 500;

/** Retry-After in seconds or as an HTTP date, in milliseconds; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()) {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * A fetch that tries again on 429 and 5xx answers and on network errors, waiting as the server's
 * Retry-After says (else exponential backoff with jitter). The same request, headers included, is
 * sent each time, so a POST's Idempotency-Key makes a retry safe.
 */
export function retryingFetch(base: typeof fetch, opts: RetryOptions = {}): typeof fetch {
  const {
    maxRetries = 3,
    baseDelayMs = 500,
    maxDelayMs = 30_000,
    sleep = (ms) => new Promise((r) => setTimeout(r, ms)),
  } = opts;
  return async (input, init) => {
    const original = new Request(input, init);
    for (let attempt = 0; ; attempt++) {
      const request = original.clone();
      let res: Response | null = null;
      let error: unknown;
      try {
        res = await base(request);
      } catch (err) {
        error = err;
      }
      if (res && !retryable(res.status)) return res;
      if (attempt >= maxRetries) {
        if (res) return res;
        throw error;
      }
      const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt) * (0.5 + Math.random() / 2);
      const wait = Math.min(maxDelayMs, retryAfterMs(res?.headers.get("retry-after") ?? null) ?? backoff);
      await res?.body?.cancel();
      await sleep(wait);
    }
  };
}
