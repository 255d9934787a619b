import type Stripe from "stripe";
import type { StripeConfig } from "../config/schemas";
import type { PlanId } from "./plans";

type Prices = Pick<StripeConfig, "STRIPE_PRICE_PAYG_USAGE" | "STRIPE_PRICE_PRO_FEE" | "STRIPE_PRICE_PRO_USAGE">;

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
