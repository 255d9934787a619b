import { and, eq, isNotNull, isNull, or, sql } from "drizzle-orm";
import { limitMessage, PlanLimitError, type PlanLimits, planOf } from "../../core/billing/plans";
import type { SubscriptionState } from "../../core/billing/stripe";
import { stripeEvents, tenants } from "../schema";
import { type Db, type Tx, withMaintenance, withTenant } from "../tenant";

type Owner = { tenantId: string };

export async function billingOf(db: Db, { tenantId }: Owner) {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select({
        name: tenants.name,
        plan: tenants.plan,
        customerId: tenants.stripeCustomerId,
        subscriptionId: tenants.stripeSubscriptionId,
        status: tenants.subscriptionStatus,
        periodStart: tenants.periodStart,
        periodEnd: tenants.periodEnd,
        pastDueSince: tenants.pastDueSince,
      })
      .from(tenants)
      .where(eq(tenants.id, tenantId)),
  );
  return row ?? null;
}

/** The tenant's Stripe customer, once: a second writer keeps the first one's. */
export async function setStripeCustomer(db: Db, { tenantId, customerId }: Owner & { customerId: string }) {
  return withTenant(db, tenantId, async (tx) => {
    await tx.update(tenants).set({ stripeCustomerId: customerId }).where(and(eq(tenants.id, tenantId), isNull(tenants.stripeCustomerId)));
    const [row] = await tx.select({ customerId: tenants.stripeCustomerId }).from(tenants).where(eq(tenants.id, tenantId));
    return row!.customerId!;
  });
}

/**
 * One Stripe event, applied once: its id is recorded in the same transaction as its effect, so a
 * redelivery changes nothing. The effect is the subscription as Stripe has it now (re-fetched by
 * the caller), applied only to the tenant whose customer it is.
 */
export function applyStripeEvent(db: Db, e: { eventId: string; type: string; state: SubscriptionState | null }) {
  const run = async (tx: Tx) => {
    const [fresh] = await tx.insert(stripeEvents).values({ id: e.eventId, type: e.type, payload: { subscription: e.state?.subscriptionId ?? null }, processedAt: sql`now()` }).onConflictDoNothing().returning({ id: stripeEvents.id });
    if (!fresh) return { duplicate: true, applied: false };
    const s = e.state;
    if (!s?.tenantId) return { duplicate: false, applied: false };
    const failing = s.status === "past_due" || s.status === "unpaid";
    const [updated] = await tx
      .update(tenants)
      .set({
        plan: s.plan,
        stripeCustomerId: s.customerId,
        stripeSubscriptionId: s.subscriptionId,
        subscriptionStatus: s.status,
        periodStart: s.periodStart,
        periodEnd: s.periodEnd,
        pastDueSince: failing ? sql`coalesce(${tenants.pastDueSince}, now())` : null,
      })
      .where(and(eq(tenants.id, s.tenantId), or(isNull(tenants.stripeCustomerId), eq(tenants.stripeCustomerId, s.customerId))))
      .returning({ id: tenants.id });
    return { duplicate: false, applied: Boolean(updated) };
  };
  return e.state?.tenantId ? withTenant(db, e.state.tenantId, run) : db.transaction(run);
}

/** The tenant's plan (its limits), read where a limit bites. */
export async function tenantPlan(db: Db, { tenantId }: Owner) {
  const [row] = await withTenant(db, tenantId, (tx) => tx.select({ plan: tenants.plan }).from(tenants).where(eq(tenants.id, tenantId)));
  return planOf(row?.plan);
}

/** Inside a tenant transaction: refuses when `count` already fills the plan's `what`. */
export async function checkPlanLimit(tx: Tx, tenantId: string, what: keyof PlanLimits, noun: string, count: number) {
  const [row] = await tx.select({ plan: tenants.plan }).from(tenants).where(eq(tenants.id, tenantId)).for("no key update");
  const plan = planOf(row?.plan);
  if (count >= plan.limits[what]) throw new PlanLimitError(limitMessage(plan, what, noun));
}

/** Tenants with a Stripe subscription, and their period, for the nightly reconciliation (maintenance scope). */
export function subscribedTenants(db: Db) {
  return withMaintenance(db, (tx) =>
    tx
      .select({ tenantId: tenants.id, customerId: tenants.stripeCustomerId, periodStart: tenants.periodStart, periodEnd: tenants.periodEnd })
      .from(tenants)
      .where(and(isNotNull(tenants.stripeSubscriptionId), isNotNull(tenants.periodStart))),
  );
}
