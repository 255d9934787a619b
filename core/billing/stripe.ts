import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import Stripe from "stripe";
import type { StripeConfig } from "../config/schemas";
import type { PlanId } from "./plans";

type Keys = Pick<StripeConfig, "STRIPE_SECRET_KEY" | "STRIPE_API_URL">;
type Prices = Pick<StripeConfig, "STRIPE_PRICE_PAYG_USAGE" | "STRIPE_PRICE_PRO_FEE" | "STRIPE_PRICE_PRO_USAGE">;

/**
 * The official client, or null without a key (billing SANDBOX). `fetch`: the Workers runtime has
 * no Node http, so the edge uses the fetch client. STRIPE_API_URL points it at the test fake.
 */
export function stripeClient(c: Keys, opts: { fetch?: boolean } = {}) {
  if (!c.STRIPE_SECRET_KEY) return null;
  const url = c.STRIPE_API_URL ? new URL(c.STRIPE_API_URL) : null;
  const stripe = new Stripe(c.STRIPE_SECRET_KEY, {
    maxNetworkRetries: 2,
    // Stripe's answers are small and quick; its Node client counts this as socket idle time, its fetch client (the edge) until the headers.
    timeout: 20_000,
    ...(url
      ? {
          host: url.hostname,
          port: Number(url.port || (url.protocol === "https:" ? 443 : 80)),
          protocol: url.protocol === "https:" ? "https" : "http",
        }
      : {}),
    ...(opts.fetch ? { httpClient: Stripe.createFetchHttpClient() } : {}),
  });
  // A span per request, under the active one, from Stripe's own timings (a no-op where no tracer is registered).
  stripe.on("response", (e: Stripe.ResponseEvent) => {
    const span = trace.getTracer("bvrai.stripe").startSpan(
      `stripe ${e.method} ${e.path.replace(/\/(cus|sub|in|cs|price|mtr|evt)_[A-Za-z0-9]+/g, "/$1_…")}`,
      {
        kind: SpanKind.CLIENT,
        startTime: e.request_start_time,
        attributes: {
          "http.request.method": e.method,
          "http.response.status_code": e.status,
          "bvrai.provider": "stripe",
          "bvrai.stripe_request_id": e.request_id,
        },
      },
      context.active(),
    );
    if (e.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end(e.request_end_time);
  });
  return stripe;
}

/** The Checkout line items of a plan: the monthly fee (if any) and the metered call seconds. */
export function planLineItems(plan: Exclude<PlanId, "trial">, c: Prices): { price: string; quantity?: number }[] {
  return plan === "pro"
    ? [{ price: c.STRIPE_PRICE_PRO_FEE, quantity: 1 }, { price: c.STRIPE_PRICE_PRO_USAGE }]
    : [{ price: c.STRIPE_PRICE_PAYG_USAGE }];
}

export type SubscriptionState = {
  subscriptionId: string;
  customerId: string;
  tenantId: string | null;
  plan: PlanId;
  status: string;
  periodStart: Date | null;
  periodEnd: Date | null;
  /** For a subscription that has ended: whether it is the customer's newest at Stripe (it may then stand in for an older one that ended too). */
  newest?: boolean;
};

/** A subscription in one of these states is over: it gives no plan, and Stripe will not revive it. */
export const endedStatuses = ["canceled", "incomplete_expired"];

/** What a subscription (as Stripe returns it now) means for the tenant: its plan, standing and period. */
export function subscriptionState(sub: Stripe.Subscription, c: Prices): SubscriptionState {
  const prices = sub.items.data.map((i) => i.price.id);
  const item = sub.items.data[0];
  const live = !endedStatuses.includes(sub.status);
  const plan: PlanId = !live
    ? "trial"
    : prices.includes(c.STRIPE_PRICE_PRO_FEE)
      ? "pro"
      : prices.includes(c.STRIPE_PRICE_PAYG_USAGE)
        ? "payg"
        : "trial";
  return {
    subscriptionId: sub.id,
    customerId: typeof sub.customer === "string" ? sub.customer : sub.customer.id,
    tenantId: sub.metadata?.tenant_id ?? null,
    plan,
    status: sub.status,
    periodStart: item ? new Date(item.current_period_start * 1000) : null,
    periodEnd: item ? new Date(item.current_period_end * 1000) : null,
  };
}
