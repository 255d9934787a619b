import { and, eq, gte, isNotNull, isNull, or, sql } from "drizzle-orm";
import { GRACE_DAYS, planOf, type Standing } from "../../core/billing/plans";
import { calls, tenants, usageRecords } from "../schema";
import { type Db, type Tx, withTenant } from "../tenant";
import { holdsPlanLine } from "./call-heartbeat";
import { periodStartOf, secondsUsed } from "./usage";

/**
 * Whether the tenant may start a call now (inside its tenant-bound transaction): not when a payment
 * has been failing for longer than the grace period, nor when the trial's minutes are spent.
 * Nothing is deleted either way; paying (or choosing a plan) lifts it at once.
 */
export async function callStanding(tx: Tx, tenantId: string): Promise<Standing> {
  const [t] = await tx
    .select({
      plan: tenants.plan,
      periodStart: tenants.periodStart,
      failingLong: sql<boolean>`${tenants.pastDueSince} < now() - make_interval(days => ${GRACE_DAYS})`,
    })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!t) return { ok: false, reason: "payment_failed" };
  if (t.failingLong) return { ok: false, reason: "payment_failed" };
  const plan = planOf(t.plan);
  if (!plan.hardCap) return { ok: true };
  return (await secondsUsed(tx, tenantId, t)) >= plan.includedSeconds
    ? { ok: false, reason: "trial_used" }
    : { ok: true };
}

export const tenantStanding = (db: Db, { tenantId }: { tenantId: string }) =>
  withTenant(db, tenantId, (tx) => callStanding(tx, tenantId));

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
    .where(
      and(
        eq(calls.tenantId, tenantId),
        isNull(calls.endedAt),
        holdsPlanLine(),
        sql`${calls.createdAt} > now() - interval '4 hours'`,
      ),
    )) as [{ live: number }];
  const plan = planOf(t?.plan);
  return { room: plan.limits.concurrentCalls - live, plan };
}

/**
 * A capped plan's call seconds left now, and how many calls are live to share them
 * (docs/decisions/0028): the included seconds, less those billed this period, those of ended
 * calls not billed yet, and those the live calls (this one too) have run so far. Null: no cap.
 */
export function cappedSecondsLeft(db: Db, { tenantId }: { tenantId: string }) {
  return withTenant(db, tenantId, async (tx) => {
    const [t] = await tx
      .select({ plan: tenants.plan, periodStart: tenants.periodStart })
      .from(tenants)
      .where(eq(tenants.id, tenantId));
    const plan = planOf(t?.plan);
    if (!t || !plan.hardCap) return null;
    const billed = await secondsUsed(tx, tenantId, t);
    const unbilled = sql`not exists (select 1 from ${usageRecords} where ${usageRecords.callId} = ${calls.id} and ${usageRecords.kind} = 'call_seconds')`;
    const [row] = await tx
      .select({
        running: sql<string>`coalesce(sum(extract(epoch from now() - ${calls.startedAt})) filter (where ${calls.endedAt} is null), 0)`,
        ended: sql<string>`coalesce(sum(${calls.durationSeconds}) filter (where ${calls.endedAt} is not null), 0)`,
        live: sql<number>`(count(*) filter (where ${calls.endedAt} is null))::int`,
      })
      .from(calls)
      .where(
        and(
          eq(calls.tenantId, tenantId),
          isNotNull(calls.startedAt),
          or(
            // Live: the same four hours as liveCallRoom, so a call left open by a crash is not counted for ever.
            and(isNull(calls.endedAt), sql`${calls.startedAt} > now() - interval '4 hours'`),
            and(gte(calls.endedAt, periodStartOf(t)), unbilled),
          ),
        ),
      );
    const secondsLeft = Number(plan.includedSeconds - billed) - Number(row?.running ?? 0) - Number(row?.ended ?? 0);
    return { secondsLeft, liveCalls: Math.max(1, row?.live ?? 0) };
  });
}
