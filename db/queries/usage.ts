import { and, eq, gte, isNotNull, lt, type SQL, sql } from "drizzle-orm";
import { callCharge, planOf, thresholdsCrossed } from "../../core/billing/plans";
import { follow } from "../pipeline";
import { calls, tenants, usageHourly, usageRecords } from "../schema";
import { type Db, type Tx, withTenant } from "../tenant";
import { queueWebhookEvents } from "./webhook-events";

export class CallNotEndedError extends Error {}
export type UsageReportJob = { tenantId: string; usageRecordId: string };

/** The start of the tenant's billing period: its subscription's, else the calendar month's (trial). */
export const periodStartOf = (t: { periodStart: Date | null }) => t.periodStart ?? sql`date_trunc('month', now())`;

/**
 * The tenant's billed calls, seconds and cost since `start` (inside its tenant transaction): the
 * whole UTC hours from the hourly roll-up, and the records of the partial hour `start` falls in
 * (docs/decisions/0039). Exact: the roll-up is kept by trigger with every record.
 */
export async function usageSince(tx: Tx, tenantId: string, start: SQL | Date) {
  const firstWholeHour = sql`date_trunc('hour', ${start}::timestamptz - interval '1 microsecond', 'UTC') + interval '1 hour'`;
  const [hours] = await tx
    .select({
      calls: sql<number>`coalesce(sum(${usageHourly.calls}), 0)::int`,
      seconds: sql<string>`coalesce(sum(${usageHourly.seconds}), 0)::text`,
      micros: sql<string>`coalesce(sum(${usageHourly.micros}), 0)::text`,
    })
    .from(usageHourly)
    .where(and(eq(usageHourly.tenantId, tenantId), gte(usageHourly.hour, firstWholeHour)));
  const [head] = await tx
    .select({
      calls: sql<number>`count(*)::int`,
      seconds: sql<string>`coalesce(sum(${usageRecords.quantity}), 0)::text`,
      micros: sql<string>`coalesce(sum(${usageRecords.amountMicros}), 0)::text`,
    })
    .from(usageRecords)
    .where(
      and(
        eq(usageRecords.tenantId, tenantId),
        gte(usageRecords.createdAt, start),
        lt(usageRecords.createdAt, firstWholeHour),
      ),
    );
  return {
    calls: (hours?.calls ?? 0) + (head?.calls ?? 0),
    seconds: BigInt(hours?.seconds ?? 0) + BigInt(head?.seconds ?? 0),
    micros: BigInt(hours?.micros ?? 0) + BigInt(head?.micros ?? 0),
  };
}

/** Call seconds the tenant has used since its period began (inside its tenant transaction). */
export async function secondsUsed(tx: Tx, tenantId: string, t: { periodStart: Date | null }) {
  return (await usageSince(tx, tenantId, periodStartOf(t))).seconds;
}

/**
 * Writes the usage record of an ended call, once (the unique (call_id, kind) index makes a retried
 * job a no-op), priced by the tenant's plan against the seconds already used this period. The
 * tenant row is locked so two calls ending together price in turn (FOR NO KEY UPDATE: it must not
 * block the key-share locks that every insert referencing the tenant takes, or a status callback
 * inserting a call event while this waits on its call row deadlocks); the Stripe report is queued
 * in the same transaction, so it exists exactly when the record does.
 */
export function recordCallUsage(db: Db, { tenantId, callId }: { tenantId: string; callId: string }) {
  return withTenant(db, tenantId, async (tx) => {
    const [tenant] = await tx
      .select({ plan: tenants.plan, periodStart: tenants.periodStart, customer: tenants.stripeCustomerId })
      .from(tenants)
      .where(eq(tenants.id, tenantId))
      .for("no key update");
    const [call] = await tx
      .select({ durationSeconds: calls.durationSeconds, endedAt: calls.endedAt })
      .from(calls)
      .where(and(eq(calls.id, callId), eq(calls.tenantId, tenantId)));
    if (!call || !tenant) return { recorded: false as const, reason: "no such call" };
    if (!call.endedAt || call.durationSeconds == null) throw new CallNotEndedError(`call ${callId} has not ended`);
    const plan = planOf(tenant.plan);
    const seconds = BigInt(call.durationSeconds);
    const usedBefore = await secondsUsed(tx, tenantId, tenant);
    const amount = callCharge(plan, usedBefore, seconds);
    const [inserted] = await tx
      .insert(usageRecords)
      .values({
        tenantId,
        callId,
        kind: "call_seconds",
        quantity: seconds,
        unitPriceMicros: plan.overageMicrosPerSecond,
        amountMicros: amount,
        plan: plan.id,
      })
      .onConflictDoNothing({ target: [usageRecords.callId, usageRecords.kind] })
      .returning({ id: usageRecords.id });
    if (!inserted) return { recorded: false as const, amount };
    await tx.update(calls).set({ costMicros: amount }).where(eq(calls.id, callId));
    // Only a paying plan's seconds go to Stripe (the trial's are free and capped).
    await follow(tx, "usageRecorded", {
      tenantId,
      callId,
      usageRecordId: inserted.id,
      reportToStripe: Boolean(tenant.customer) && plan.id !== "trial",
    });
    const period = (
      tenant.periodStart ?? new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1))
    ).toISOString();
    await queueWebhookEvents(tx, tenantId, [
      { type: "transcript.ready" as const, eventId: `transcript.ready:${callId}`, ref: { callId } },
      ...thresholdsCrossed(plan, usedBefore, seconds).map((percent) => ({
        type: "usage.threshold" as const,
        eventId: `usage.threshold:${period}:${percent}`,
        ref: {},
        data: {
          percent,
          plan: plan.id,
          periodStart: period,
          secondsUsed: String(usedBefore + seconds),
          secondsIncluded: String(plan.includedSeconds),
        },
      })),
    ]);
    return { recorded: true as const, amount };
  });
}

/** Seconds used and their cost since the period began (exact: sums of integers). */
export async function periodUsage(db: Db, { tenantId }: { tenantId: string }, opts: { reportedOnly?: boolean } = {}) {
  return withTenant(db, tenantId, async (tx) => {
    const [tenant] = await tx
      .select({ periodStart: tenants.periodStart })
      .from(tenants)
      .where(eq(tenants.id, tenantId));
    const [row] = await tx
      .select({
        seconds: sql<string>`coalesce(sum(${usageRecords.quantity}), 0)`,
        micros: sql<string>`coalesce(sum(${usageRecords.amountMicros}), 0)`,
        calls: sql<number>`count(*)::int`,
      })
      .from(usageRecords)
      .where(
        and(
          eq(usageRecords.tenantId, tenantId),
          gte(usageRecords.createdAt, periodStartOf(tenant ?? { periodStart: null })),
          opts.reportedOnly ? isNotNull(usageRecords.reportedAt) : undefined,
        ),
      );
    return { seconds: BigInt(row?.seconds ?? 0), micros: BigInt(row?.micros ?? 0), calls: row?.calls ?? 0 };
  });
}

/** A usage record to report, with the customer it is billed to; null when it is gone or already reported. */
export async function usageToReport(db: Db, { tenantId, usageRecordId }: UsageReportJob) {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: usageRecords.id,
        quantity: usageRecords.quantity,
        createdAt: usageRecords.createdAt,
        reportedAt: usageRecords.reportedAt,
        customer: tenants.stripeCustomerId,
      })
      .from(usageRecords)
      .innerJoin(tenants, eq(tenants.id, usageRecords.tenantId))
      .where(and(eq(usageRecords.id, usageRecordId), eq(usageRecords.tenantId, tenantId))),
  );
  return row && !row.reportedAt && row.customer ? { ...row, customer: row.customer } : null;
}

export function markUsageReported(db: Db, { tenantId, usageRecordId }: UsageReportJob) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .update(usageRecords)
      .set({ reportedAt: sql`now()` })
      .where(and(eq(usageRecords.id, usageRecordId), eq(usageRecords.tenantId, tenantId))),
  );
}

/** A call's billed quantities, one row per kind (the platform's per-second charge today). */
export function callUsage(db: Db, { tenantId, callId }: { tenantId: string; callId: string }) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({
        kind: usageRecords.kind,
        quantity: usageRecords.quantity,
        unitPriceMicros: usageRecords.unitPriceMicros,
        amountMicros: usageRecords.amountMicros,
        currency: usageRecords.currency,
      })
      .from(usageRecords)
      .where(and(eq(usageRecords.tenantId, tenantId), eq(usageRecords.callId, callId)))
      .orderBy(usageRecords.kind),
  );
}
