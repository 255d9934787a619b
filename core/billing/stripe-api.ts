import type Stripe from "stripe";
import type { StripeConfig } from "../config/schemas";
import { boundedFetch, OutboundError } from "../net/bounded-fetch";

/** The API version every client of ours asks for (the official library's, pinned), so objects read the same everywhere. */
export const STRIPE_API_VERSION = "2026-10-28.endive";

type Keys = Pick<StripeConfig, "STRIPE_SECRET_KEY" | "STRIPE_API_URL">;
const RETRIES = 2;
const limits = { deadlineMs: 20_000, maxBytes: 1024 * 1024, overflow: "fail" as const };

/**
 * The two reads the edge makes of Stripe (a subscription; a customer's newest), over `fetch`,
 * without the official library (about 250 KB of the worker: docs/decisions/0036). As that library
 * is set up in stripeClient: 20 s a try, two retries (a network failure, 409, 5xx, or when
 * Stripe-Should-Retry says so) with jittered backoff. Null: Stripe has no such object (404).
 */
export function stripeReader(c: Keys) {
  if (!c.STRIPE_SECRET_KEY) return null;
  const base = c.STRIPE_API_URL ?? "https://api.stripe.com";
  const headers = { authorization: `Bearer ${c.STRIPE_SECRET_KEY}`, "stripe-version": STRIPE_API_VERSION };
  async function get<T>(path: string, query: Record<string, string> = {}): Promise<T | null> {
    const url = new URL(path, base);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    for (let attempt = 0; ; attempt++) {
      let retry: boolean;
      let failure: Error;
      try {
        const res = await boundedFetch(url, { headers }, limits);
        if (res.status >= 200 && res.status < 300) return JSON.parse(new TextDecoder().decode(res.body)) as T;
        if (res.status === 404) return null;
        const should = res.headers.get("stripe-should-retry");
        retry = should ? should === "true" : res.status === 409 || res.status >= 500;
        failure = new Error(`Stripe answered ${res.status} to GET ${url.pathname}`);
      } catch (err) {
        if (!(err instanceof OutboundError)) throw err;
        retry = true;
        failure = err;
      }
      if (!retry || attempt >= RETRIES) throw failure;
      const ms = Math.min(500 * 2 ** attempt, 5000);
      await new Promise((r) => setTimeout(r, ms * (0.5 + Math.random() / 2)));
    }
  }
  return {
    subscription: (id: string) => get<Stripe.Subscription>(`/v1/subscriptions/${encodeURIComponent(id)}`),
    /** The customer's newest subscription, in any status: undefined if it has none, null as for any 404. */
    newestSubscription: async (customer: string) => {
      const list = await get<{ data: Stripe.Subscription[] }>("/v1/subscriptions", {
        customer,
        status: "all",
        limit: "1",
      });
      return list === null ? null : list.data[0];
    },
  };
}
export type StripeReader = NonNullable<ReturnType<typeof stripeReader>>;
