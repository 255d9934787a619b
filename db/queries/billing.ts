import { and, eq, isNotNull, isNull, or, sql } from "drizzle-orm";
import { limitMessage, PlanLimitError, type PlanLimits, planOf } from "../../core/billing/plans";
import { endedStatuses, type SubscriptionState } from "../../core/billing/subscription-state";
import { stripeEvents, tenants } from "../schema";
import { bindTenant, type Db, stripeEventScope, type Tx, withMaintenance, withTenant } from "../tenant";

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
    await tx
      .update(tenants)
      .set({ stripeCustomerId: customerId })
      .where(and(eq(tenants.id, tenantId), isNull(tenants.stripeCustomerId)));
    const [row] = await tx
      .select({ customerId: tenants.stripeCustomerId })
      .from(tenants)
      .where(eq(tenants.id, tenantId));
    return row!.customerId!;
  });
}

/**
 * One Stripe event, applied once: its id is recorded in the same transaction as its effect, so a
 * redelivery changes nothing, and an event whose effect fails is not recorded (Stripe sends it
 * again). The effect is the subscription as Stripe has it now, asked (`current`) under a lock on
 * the customer: its events apply one at a time, each reading the state after the one before, so
 * deliveries side by side or out of order end at Stripe's latest state. It applies only to the
 * tenant whose customer it is, and a subscription that has ended does not displace another the
 * tenant has since taken (a late event of a cancelled one after a new Checkout) unless it is the
 * customer's newest (`newest`: the edge asks Stripe for it when one has ended).
 */
export function applyStripeEvent(
  db: Db,
  e: { eventId: string; type: string; subscriptionId: string | null; customerId?: string | null },
  current: (subscriptionId: string) => Promise<SubscriptionState | null>,
) {
  return stripeEventScope(db, async (tx) => {
    // One customer's events one at a time, each asking Stripe under the lock: the last to ask stands.
    const lockKey = e.customerId
      ? `stripe-customer:${e.customerId}`
      : e.subscriptionId
        ? `stripe-subscription:${e.subscriptionId}`
        : null;
    if (lockKey) await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${lockKey}, 0))`);
    const [fresh] = await tx
      .insert(stripeEvents)
      .values({ id: e.eventId, type: e.type, payload: { subscription: e.subscriptionId }, processedAt: sql`now()` })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id });
    if (!fresh) return { duplicate: true, applied: false, tenantId: null };
    const s = e.subscriptionId ? await current(e.subscriptionId) : null;
    if (!s?.tenantId) return { duplicate: false, applied: false, tenantId: null };
    await bindTenant(tx, s.tenantId);
    const failing = s.status === "past_due" || s.status === "unpaid";
    const ended = endedStatuses.includes(s.status);
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
      .where(
        and(
          eq(tenants.id, s.tenantId),
          or(isNull(tenants.stripeCustomerId), eq(tenants.stripeCustomerId, s.customerId)),
          // A late cancellation of an old subscription never undoes a newer one. The customer's
          // newest, asked of Stripe under the customer's lock, stands whatever the tenant had.
          ended && !s.newest
            ? or(isNull(tenants.stripeSubscriptionId), eq(tenants.stripeSubscriptionId, s.subscriptionId))
            : undefined,
        ),
      )
      .returning({ id: tenants.id });
    return { duplicate: false, applied: Boolean(updated), tenantId: s.tenantId };
  });
}

/** The tenant's plan (its limits), read where a limit bites. */
export async function tenantPlan(db: Db, { tenantId }: Owner) {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx.select({ plan: tenants.plan }).from(tenants).where(eq(tenants.id, tenantId)),
  );
  return planOf(row?.plan);
}

/** Inside a tenant transaction: refuses when `count` already fills the plan's `what`. */
export async function checkPlanLimit(tx: Tx, tenantId: string, what: keyof PlanLimits, noun: string, count: number) {
  const [row] = await tx
    .select({ plan: tenants.plan })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .for("no key update");
  const plan = planOf(row?.plan);
  if (count >= plan.limits[what]) throw new PlanLimitError(limitMessage(plan, what, noun));
}

/** Tenants with a Stripe subscription, and their period, for the nightly reconciliation (maintenance scope). */
export function subscribedTenants(db: Db) {
  return withMaintenance(db, (tx) =>
    tx
      .select({
        tenantId: tenants.id,
        customerId: tenants.stripeCustomerId,
        periodStart: tenants.periodStart,
        periodEnd: tenants.periodEnd,
      })
      .from(tenants)
      .where(and(isNotNull(tenants.stripeSubscriptionId), isNotNull(tenants.periodStart))),
  );
}
