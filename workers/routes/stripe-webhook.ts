import { Hono } from "hono/tiny";
import type Stripe from "stripe";
import { verifyStripeEvent } from "../../core/billing/stripe-signature";
import { endedStatuses, subscriptionState } from "../../core/billing/subscription-state";
import { applyStripeEvent } from "../../db/queries/billing";
import { errorResponse } from "../errors";
import { readBodyText } from "../request-body";
import type { AppEnv } from "../services";
import { logFields as log } from "../telemetry";

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

/** The customer an event is about: its events are applied one at a time. */
function customerOf(event: Stripe.Event): string | null {
  const customer = (event.data.object as unknown as { customer?: unknown }).customer;
  return typeof customer === "string" ? customer : null;
}

/**
 * Stripe's webhooks (docs/decisions/0014). A bad or stale signature is a 400, never a 500, so a
 * forgery is not retried. Each event is applied once (its id recorded with its effect), and the
 * effect is the subscription re-fetched from Stripe, so events arriving out of order cannot take
 * the tenant back to an older state. An event the edge cannot apply now (no STRIPE_SECRET_KEY
 * here, Stripe or the database failing) is not recorded and gets a 503: Stripe sends it again
 * (https://docs.stripe.com/webhooks#automatic-retries), and it is applied then.
 */
export const stripeWebhook = new Hono<AppEnv>().post("/", async (c) => {
  const { config, db, stripe } = c.get("services");
  const requestId = c.get("requestId");
  const body = await readBodyText(c);
  if (body instanceof Response) return body;
  let event: Stripe.Event;
  try {
    event = await verifyStripeEvent<Stripe.Event>(
      body,
      c.req.header("stripe-signature") ?? "",
      config.STRIPE_WEBHOOK_SECRET,
    );
  } catch (err) {
    log({ level: "warn", msg: "stripe signature rejected", reason: (err as Error).message.slice(0, 120), requestId });
    return errorResponse(c, "BAD_REQUEST", "Invalid Stripe signature.");
  }
  const subscriptionId = subscriptionOf(event);
  const client = stripe();
  if (subscriptionId && !client) {
    log({
      level: "error",
      msg: "stripe event not applied: STRIPE_SECRET_KEY is not set; Stripe will send it again",
      eventId: event.id,
      type: event.type,
      requestId,
    });
    return errorResponse(
      c,
      "SERVICE_UNAVAILABLE",
      "Billing is not configured on this edge; the event was not applied.",
    );
  }
  // A subscription that has ended gives way to the customer's newest, whatever that is now: after a
  // cancel-and-resubscribe, the last event Stripe delivers may be the old one's.
  // Null: a subscription Stripe does not have (another account's, or removed): nothing to apply, and no use retrying.
  const current = async (id: string) => {
    const sub = await client!.subscription(id);
    if (!sub) return null;
    const state = subscriptionState(sub, config);
    if (!endedStatuses.includes(state.status)) return state;
    const newest = await client!.newestSubscription(state.customerId);
    if (newest === null) return null;
    return newest && newest.id !== id
      ? { ...subscriptionState(newest, config), newest: true }
      : { ...state, newest: true };
  };
  try {
    const result = await applyStripeEvent(
      db(),
      { eventId: event.id, type: event.type, subscriptionId, customerId: customerOf(event) },
      current,
    );
    log({ level: "info", msg: "stripe event", eventId: event.id, type: event.type, ...result, requestId });
  } catch (err) {
    log({
      level: "error",
      msg: "stripe event not applied; Stripe will send it again",
      eventId: event.id,
      type: event.type,
      err: String(err).slice(0, 200),
      requestId,
    });
    return errorResponse(c, "SERVICE_UNAVAILABLE", "The event could not be applied now; send it again.");
  }
  return c.json({ received: true });
});
