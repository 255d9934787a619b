import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import Stripe from "stripe";
import type { StripeConfig } from "../config/schemas";
import type { PlanId } from "./plans";
import { STRIPE_API_VERSION } from "./stripe-api";

type Keys = Pick<StripeConfig, "STRIPE_SECRET_KEY" | "STRIPE_API_URL">;
type Prices = Pick<StripeConfig, "STRIPE_PRICE_PAYG_USAGE" | "STRIPE_PRICE_PRO_FEE" | "STRIPE_PRICE_PRO_USAGE">;

/**
 * The official client (portal, jobs), or null without a key (billing SANDBOX). STRIPE_API_URL
 * points it at the test fake. The edge reads Stripe without it (core/billing/stripe-api).
 */
export function stripeClient(c: Keys) {
  if (!c.STRIPE_SECRET_KEY) return null;
  const url = c.STRIPE_API_URL ? new URL(c.STRIPE_API_URL) : null;
  const stripe = new Stripe(c.STRIPE_SECRET_KEY, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: 2,
    // Stripe's answers are small and quick; its Node client counts this as socket idle time.
    timeout: 20_000,
    ...(url
      ? {
          host: url.hostname,
          port: Number(url.port || (url.protocol === "https:" ? 443 : 80)),
          protocol: url.protocol === "https:" ? "https" : "http",
        }
      : {}),
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
