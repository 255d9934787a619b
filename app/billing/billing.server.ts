import type Stripe from "stripe";
import { graceEndsAt, planOf } from "../../core/billing/plans";
import { planLineItems } from "../../core/billing/stripe";
import type { StripeConfig } from "../../core/config/schemas";
import { billingOf, setStripeCustomer, subscribedTenants } from "../../db/queries/billing";
import { markUsageReported, periodUsage, type UsageReportJob, usageToReport } from "../../db/queries/usage";
import type { Db } from "../../db/tenant";

/** What billing needs: the database, the Stripe client (null: SANDBOX), the prices, the portal's origin. */
export type Billing = { db: Db; stripe: Stripe | null; config: StripeConfig; appUrl: string };

export class BillingError extends Error {
  override name = "BillingError";
}
const SANDBOX = "Billing is in SANDBOX mode: set STRIPE_SECRET_KEY to take payments.";

async function customerFor(b: Billing, stripe: Stripe, t: { tenantId: string; tenantName: string; email: string }) {
  const current = await billingOf(b.db, t);
  if (current?.customerId) return current.customerId;
  const created = await stripe.customers.create(
    { name: t.tenantName, email: t.email, metadata: { tenant_id: t.tenantId } },
    { idempotencyKey: `customer-${t.tenantId}` },
  );
  return setStripeCustomer(b.db, { tenantId: t.tenantId, customerId: created.id });
}

/** A Checkout page for `plan`; the subscription carries the tenant id, which the webhook trusts only with the customer. */
export async function startCheckout(
  b: Billing,
  t: { tenantId: string; tenantName: string; email: string; plan: "payg" | "pro" },
) {
  if (!b.stripe) throw new BillingError(SANDBOX);
  const customer = await customerFor(b, b.stripe, t);
  const session = await b.stripe.checkout.sessions.create({
    mode: "subscription",
    customer,
    client_reference_id: t.tenantId,
    line_items: planLineItems(t.plan, b.config),
    subscription_data: { metadata: { tenant_id: t.tenantId } },
    success_url: `${b.appUrl}/settings/billing?checkout=done`,
    cancel_url: `${b.appUrl}/settings/billing`,
  });
  if (!session.url) throw new BillingError("Stripe did not return a Checkout page. Try again.");
  return session.url;
}

/** Stripe's customer portal: payment method, cancellation, invoices. */
export async function openCustomerPortal(b: Billing, { tenantId }: { tenantId: string }) {
  if (!b.stripe) throw new BillingError(SANDBOX);
  const current = await billingOf(b.db, { tenantId });
  if (!current?.customerId) throw new BillingError("Choose a plan first: there is nothing to manage yet.");
  const session = await b.stripe.billingPortal.sessions.create({
    customer: current.customerId,
    return_url: `${b.appUrl}/settings/billing`,
  });
  return session.url;
}

/** The billing page's figures: plan, standing, period, usage and its cost so far, and the invoices. */
export async function billingSummary(b: Billing, { tenantId }: { tenantId: string }) {
  const current = await billingOf(b.db, { tenantId });
  if (!current) return null;
  const plan = planOf(current.plan);
  const usage = await periodUsage(b.db, { tenantId });
  const invoices =
    b.stripe && current.customerId
      ? (await b.stripe.invoices.list({ customer: current.customerId, limit: 12 })).data
      : [];
  return {
    ...current,
    plan,
    usage,
    invoices,
    graceEndsAt: current.pastDueSince ? graceEndsAt(current.pastDueSince) : null,
    sandbox: !b.stripe,
  };
}

/**
 * The `usage.report` job: one meter event per usage record, its id the identifier, so a retry
 * (after a crash between Stripe's answer and our mark) is taken by Stripe as the same event.
 */
export async function reportUsage(b: Billing, job: UsageReportJob) {
  if (!b.stripe) return { reported: false };
  const row = await usageToReport(b.db, job);
  if (!row) return { reported: false };
  await b.stripe.billing.meterEvents.create({
    event_name: b.config.STRIPE_METER_EVENT_NAME,
    identifier: row.id,
    timestamp: Math.floor(row.createdAt.getTime() / 1000),
    payload: { stripe_customer_id: row.customer, value: String(row.quantity) },
  });
  await markUsageReported(b.db, job);
  return { reported: true };
}

/**
 * The nightly reconciliation: for each subscribed tenant, our reported seconds this period against
 * Stripe's meter summary for the same window. Differences are returned and logged for a person to
 * look at; nothing is corrected automatically (which side is right needs a look).
 */
export async function reconcileUsage(b: Billing, log: (fields: Record<string, unknown>) => void) {
  if (!b.stripe) return [];
  const differences: { tenantId: string; ours: bigint; stripe: bigint }[] = [];
  for (const t of await subscribedTenants(b.db)) {
    if (!t.customerId || !t.periodStart || !t.periodEnd) continue;
    const ours = (await periodUsage(b.db, { tenantId: t.tenantId }, { reportedOnly: true })).seconds;
    const summary = await b.stripe.billing.meters.listEventSummaries(b.config.STRIPE_METER_ID, {
      customer: t.customerId,
      start_time: Math.floor(t.periodStart.getTime() / 1000),
      end_time: Math.floor(t.periodEnd.getTime() / 1000),
    });
    const stripe = BigInt(Math.round(summary.data.reduce((a, s) => a + s.aggregated_value, 0)));
    if (stripe !== ours) differences.push({ tenantId: t.tenantId, ours, stripe });
  }
  log({
    msg: "usage reconciled",
    differences: differences.map((d) => ({ ...d, ours: String(d.ours), stripe: String(d.stripe) })),
  });
  return differences;
}
