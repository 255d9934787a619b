import { and, eq, isNull, sql } from "drizzle-orm";
import { holdsPlanLine } from "./call-heartbeat";
import { GRACE_DAYS, planOf, type Standing } from "../../core/billing/plans";
import { calls, tenants } from "../schema";
import { type Db, type Tx, withTenant } from "../tenant";
import { secondsUsed } from "./usage";

/**
 * Whether the tenant may start a call now (inside its tenant-bound transaction): not when a payment
 * has been failing for longer than the grace period, nor when the trial's minutes are spent.
 * Nothing is deleted either way; paying (or choosing a plan) lifts it at once.
 */
export async function callStanding(tx: Tx, tenantId: string): Promise<Standing> {
  const [t] = await tx
    .select({ plan: tenants.plan, periodStart: tenants.periodStart, failingLong: sql<boolean>`${tenants.pastDueSince} < now() - make_interval(days => ${GRACE_DAYS})` })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!t) return { ok: false, reason: "payment_failed" };
  if (t.failingLong) return { ok: false, reason: "payment_failed" };
  const plan = planOf(t.plan);
  if (!plan.hardCap) return { ok: true };
  return (await secondsUsed(tx, tenantId, t)) >= plan.includedSeconds ? { ok: false, reason: "trial_used" } : { ok: true };
}

export const tenantStanding = (db: Db, { tenantId }: { tenantId: string }) => withTenant(db, tenantId, (tx) => callStanding(tx, tenantId));

/**
 * How many more calls the tenant's plan lets it have live now. Live: holding a line
 * (`holdsPlanLine`), not ended, started within the longest a call may last (4 hours), so a call left open by a crash
 * cannot hold a slot for ever. The relay enforces the same limit on answer (call-slots).
 */
export async function liveCallRoom(tx: Tx, tenantId: string) {
  const [t] = await tx.select({ plan: tenants.plan }).from(tenants).where(eq(tenants.id, tenantId));
  const [{ live }] = (await tx
    .select({ live: sql<number>`count(*)::int` })
    .from(calls)
    .where(and(eq(calls.tenantId, tenantId), isNull(calls.endedAt), holdsPlanLine(), sql`${calls.createdAt} > now() - interval '4 hours'`))) as [{ live: number }];
  const plan = planOf(t?.plan);
  return { room: plan.limits.concurrentCalls - live, plan };
}
