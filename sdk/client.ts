import createClient from "openapi-fetch";
import { PUBLIC_API_URL } from "../core/public-api";
import { type RetryOptions, retryingFetch } from "./retry";
import type { components, paths } from "./schema";

export type { components, paths };
export { PUBLIC_API_URL };
export type BvraiOptions = RetryOptions & {
  apiKey: string;
  /** Where the API lives, ending in /api/v1; by default BVRAI's own (`PUBLIC_API_URL`). */
  baseUrl?: string;
  fetch?: typeof fetch;
};

/** A client that would put its key at risk (plain http to another machine, a URL that is not one): refused before any request. */
export class BvraiConfigError extends Error {
  override name = "BvraiConfigError";
}

const loopback = (hostname: string) =>
  hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);

/**
 * The base URL, checked: https, or plain http only to this machine (a local server, the tests), so
 * an API key never crosses a network in clear. The URL parser normalises the host first, so
 * `127.1` or `0x7f.0.0.1` are what they are and `localhost.evil.example` is not loopback.
 */
export function checkedBaseUrl(baseUrl: string) {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new BvraiConfigError(`The API URL ${JSON.stringify(baseUrl)} is not a URL.`);
  }
  if (url.username || url.password) throw new BvraiConfigError("The API URL must not carry a user name or password.");
  if (url.protocol === "https:" || (url.protocol === "http:" && loopback(url.hostname)))
    return url.toString().replace(/\/$/, "");
  throw new BvraiConfigError(
    `Refusing to send an API key to ${url.origin}: use https (plain http is allowed only to this machine).`,
  );
}

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
export function createBvrai({
  apiKey,
  baseUrl = PUBLIC_API_URL,
  fetch: base = globalThis.fetch,
  ...retry
}: BvraiOptions) {
  // The API never redirects: one that does is not ours, and the key must not follow it.
  const send = retryingFetch((r) => base(new Request(r, { redirect: "error" })), retry);
  const client = createClient<paths>({
    baseUrl: checkedBaseUrl(baseUrl),
    fetch: send,
    headers: { authorization: `Bearer ${apiKey}` },
  });
  client.use({
    onRequest({ request }) {
      if (request.method === "POST" && !request.headers.has("idempotency-key"))
        request.headers.set("idempotency-key", crypto.randomUUID());
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
  throw new BvraiError(
    result.response.status,
    e?.code ?? "UNKNOWN",
    e?.message ?? `HTTP ${result.response.status}`,
    e?.requestId ?? result.response.headers.get("x-request-id"),
  );
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
