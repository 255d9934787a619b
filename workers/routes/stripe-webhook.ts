import { logFields as log } from "../telemetry";
import { Hono } from "hono";
import Stripe from "stripe";
import { subscriptionState } from "../../core/billing/stripe";
import { applyStripeEvent } from "../../db/queries/billing";
import { errorResponse } from "../errors";
import type { AppEnv } from "../services";

const crypto = Stripe.createSubtleCryptoProvider();

/** The subscription an event is about, whatever object it carries. */
function subscriptionOf(event: Stripe.Event): string | null {
  const o = event.data.object as unknown as Record<string, unknown>;
  if (event.type.startsWith("customer.subscription.")) return o.id as string;
  if (event.type === "checkout.session.completed") return (o.subscription as string | null) ?? null;
  if (event.type.startsWith("invoice.")) {
    const parent = o.parent as { subscription_details?: { subscription?: string } } | null;
    return parent?.subscription_details?.subscription ?? (o.subscription as string | null) ?? null;
  }
  return null;
}

/**
 * Stripe's webhooks (docs/decisions/0014). A bad or stale signature is a 400, never a 500, so a
 * forgery is not retried. Each event is applied once (its id recorded with its effect), and the
 * effect is the subscription re-fetched from Stripe, so events arriving out of order cannot take
 * the tenant back to an older state.
 */
export const stripeWebhook = new Hono<AppEnv>().post("/", async (c) => {
  const { config, db, stripe } = c.get("services");
  const requestId = c.get("requestId");
  const body = await c.req.text();
  let event: Stripe.Event;
  try {
    event = await Stripe.webhooks.constructEventAsync(body, c.req.header("stripe-signature") ?? "", config.STRIPE_WEBHOOK_SECRET, undefined, crypto);
  } catch (err) {
    log({ level: "warn", msg: "stripe signature rejected", reason: (err as Error).message.slice(0, 120), requestId });
    return errorResponse(c, "BAD_REQUEST", "Invalid Stripe signature.");
  }
  const subscriptionId = subscriptionOf(event);
  const client = stripe();
  if (subscriptionId && !client) log({ level: "warn", msg: "stripe event not applied: STRIPE_SECRET_KEY is not set", eventId: event.id, requestId });
  const sub = subscriptionId && client ? await client.subscriptions.retrieve(subscriptionId) : null;
  const state = sub ? subscriptionState(sub, config) : null;
  const result = await applyStripeEvent(db(), { eventId: event.id, type: event.type, state });
  log({ level: "info", msg: "stripe event", eventId: event.id, type: event.type, tenantId: state?.tenantId ?? null, ...result, requestId });
  return c.json({ received: true });
});
