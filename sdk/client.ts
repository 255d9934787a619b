import createClient from "openapi-fetch";
import { type RetryOptions, retryingFetch } from "./retry";
import type { components, paths } from "./schema";

export type { components, paths };
export type BvraiOptions = RetryOptions & {
  apiKey: string;
  /** Where the API lives, ending in /api/v1. */
  baseUrl?: string;
  fetch?: typeof fetch;
};

/** What an API error says: one shape for every failure (code, message, request id). */
export class BvraiError extends Error {
  override name = "BvraiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
  ) {
    super(message);
  }
}

/**
 * A typed client for the whole API (types generated from its OpenAPI document): every path,
 * parameter, body and answer is checked at compile time. POSTs carry an Idempotency-Key (kept
 * across retries); 429 and 5xx answers are retried honouring Retry-After.
 */
export function createBvrai({ apiKey, baseUrl = "https://api.bvrai.com/api/v1", fetch: base = globalThis.fetch, ...retry }: BvraiOptions) {
  const client = createClient<paths>({ baseUrl, fetch: retryingFetch((r) => base(r), retry), headers: { authorization: `Bearer ${apiKey}` } });
  client.use({
    onRequest({ request }) {
      if (request.method === "POST" && !request.headers.has("idempotency-key")) request.headers.set("idempotency-key", crypto.randomUUID());
      return request;
    },
  });
  return client;
}
export type Bvrai = ReturnType<typeof createBvrai>;

/** The answer's data, or a BvraiError with the API's code and message. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data !== undefined) return result.data;
  const e = (result.error as { error?: { code?: string; message?: string; requestId?: string } } | undefined)?.error;
  throw new BvraiError(result.response.status, e?.code ?? "UNKNOWN", e?.message ?? `HTTP ${result.response.status}`, e?.requestId ?? result.response.headers.get("x-request-id"));
}

/** Every call, newest first, page by page (the API's keyset cursor): stable while new calls arrive. */
export async function* allCalls(client: Bvrai, query: { from?: string; limit?: number } = {}) {
  let cursor: string | undefined;
  do {
    const page = unwrap(await client.GET("/calls", { params: { query: { ...query, cursor } } }));
    yield* page.data;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
