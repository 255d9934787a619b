import { and, eq, gte, lt, sql } from "drizzle-orm";
import { agents, calls, phoneNumbers, usageRecords } from "../schema";
import { type Db, withTenant } from "../tenant";

export type UsageRange = { tenantId: string; from: Date; to: Date };
export type UsageRow = { calls: number; seconds: bigint; micros: bigint };

const totals = {
  calls: sql<number>`count(${usageRecords.id})::int`,
  seconds: sql<string>`coalesce(sum(${usageRecords.quantity}), 0)::text`,
  micros: sql<string>`coalesce(sum(${usageRecords.amountMicros}), 0)::text`,
};
const exact = <T extends { seconds: string; micros: string; calls: number }>(r: T) => ({
  ...r,
  seconds: BigInt(r.seconds),
  micros: BigInt(r.micros),
});
const inRange = (r: UsageRange) =>
  and(eq(usageRecords.tenantId, r.tenantId), gte(usageRecords.createdAt, r.from), lt(usageRecords.createdAt, r.to));

/** Billed usage per UTC day in [from, to), every day present (zeros included) so charts have no gaps. */
export function dailyUsage(db: Db, r: UsageRange) {
  return withTenant(db, r.tenantId, async (tx) => {
    const days = sql`generate_series(date_trunc('day', ${r.from}::timestamptz at time zone 'UTC'), date_trunc('day', (${r.to}::timestamptz - interval '1 microsecond') at time zone 'UTC'), interval '1 day')`;
    const rows = await tx.execute(sql`
      select to_char(d.day, 'YYYY-MM-DD') as day, count(u.id)::int as calls,
             coalesce(sum(u.quantity), 0)::text as seconds, coalesce(sum(u.amount_micros), 0)::text as micros
      from ${days} as d(day)
      left join ${usageRecords} u on u.tenant_id = ${r.tenantId} and date_trunc('day', u.created_at at time zone 'UTC') = d.day
        and u.created_at >= ${r.from} and u.created_at < ${r.to}
      group by d.day order by d.day`);
    return (rows as unknown as { rows: { day: string; calls: number; seconds: string; micros: string }[] }).rows.map(
      exact,
    );
  });
}

/** Billed usage in the range by agent, or by the phone number the call used (web calls: none). */
export function usageBy(db: Db, r: UsageRange & { by: "agent" | "number" }) {
  return withTenant(db, r.tenantId, async (tx) => {
    const label = r.by === "agent" ? sql<string | null>`${agents.name}` : sql<string | null>`${phoneNumbers.e164}`;
    const rows = await tx
      .select({ label, ...totals })
      .from(usageRecords)
      .innerJoin(calls, eq(calls.id, usageRecords.callId))
      .leftJoin(agents, eq(agents.id, calls.agentId))
      .leftJoin(phoneNumbers, eq(phoneNumbers.id, calls.phoneNumberId))
      .where(inRange(r))
      .groupBy(label)
      .orderBy(sql`sum(${usageRecords.quantity}) desc`);
    return rows.map(exact);
  });
}
