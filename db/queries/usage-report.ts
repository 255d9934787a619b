import { type SQL, sql } from "drizzle-orm";
import { agents, phoneNumbers, usageDaily, usageRecords } from "../schema";
import { type Db, withTenant } from "../tenant";

export type UsageRange = { tenantId: string; from: Date; to: Date };
export type UsageRow = { calls: number; seconds: bigint; micros: bigint };
type Totals = { calls: number; seconds: string; micros: string };

const exact = <T extends Totals>(r: T) => ({ ...r, seconds: BigInt(r.seconds), micros: BigInt(r.micros) });

/**
 * The range's usage as lines of (UTC day, agent, number, totals): the whole UTC days from the
 * daily roll-up, and the raw records of a partial first or last day, so any range is exact
 * (docs/decisions/0041). The portal's and API's ranges are whole days: only the roll-up is read.
 */
function usageLines(r: UsageRange): SQL {
  const firstWholeDay = sql`(date_trunc('day', ${r.from}::timestamptz - interval '1 microsecond', 'UTC') + interval '1 day')`;
  const endOfWholeDays = sql`date_trunc('day', ${r.to}::timestamptz, 'UTC')`;
  return sql`(
    select d.day, d.agent_id, d.phone_number_id, d.calls, d.seconds, d.micros from ${usageDaily} d
    where d.tenant_id = ${r.tenantId}
      and d.day >= (${firstWholeDay} at time zone 'UTC')::date and d.day < (${endOfWholeDays} at time zone 'UTC')::date
    union all ${rawLines(r.tenantId, sql`${r.from}::timestamptz`, sql`least(${firstWholeDay}, ${r.to}::timestamptz)`)}
    union all ${rawLines(r.tenantId, sql`greatest(${endOfWholeDays}, ${firstWholeDay})`, sql`${r.to}::timestamptz`)}
  )`;
}
// Each edge is its own index range on (tenant_id, created_at): one OR'ed range would read the whole span.
const rawLines = (tenantId: string, from: SQL, to: SQL) => sql`
  select (u.created_at at time zone 'UTC')::date, c.agent_id, c.phone_number_id, 1, u.quantity, u.amount_micros
  from ${usageRecords} u left join calls c on c.id = u.call_id
  where u.tenant_id = ${tenantId} and u.created_at >= ${from} and u.created_at < ${to}`;
const sums = sql`coalesce(sum(l.calls), 0)::int as calls, coalesce(sum(l.seconds), 0)::text as seconds,
  coalesce(sum(l.micros), 0)::text as micros`;

/** Billed usage per UTC day in [from, to), every day present (zeros included) so charts have no gaps. */
export function dailyUsage(db: Db, r: UsageRange) {
  return withTenant(db, r.tenantId, async (tx) => {
    const days = sql`generate_series(date_trunc('day', ${r.from}::timestamptz at time zone 'UTC'), date_trunc('day', (${r.to}::timestamptz - interval '1 microsecond') at time zone 'UTC'), interval '1 day')`;
    const rows = await tx.execute(sql`
      select to_char(d.day, 'YYYY-MM-DD') as day, ${sums}
      from ${days} as d(day) left join ${usageLines(r)} l on l.day = d.day::date
      group by d.day order by d.day`);
    return (rows as unknown as { rows: (Totals & { day: string })[] }).rows.map(exact);
  });
}

/** Billed usage in the range by agent, or by the phone number the call used (web calls: none). */
export function usageBy(db: Db, r: UsageRange & { by: "agent" | "number" }) {
  return withTenant(db, r.tenantId, async (tx) => {
    const label =
      r.by === "agent"
        ? sql`(select a.name from ${agents} a where a.id = l.agent_id)`
        : sql`(select n.e164 from ${phoneNumbers} n where n.id = l.phone_number_id)`;
    const rows = await tx.execute(sql`
      select ${label} as label, ${sums} from ${usageLines(r)} l
      group by 1 order by sum(l.seconds) desc, 1 nulls last`);
    return (rows as unknown as { rows: (Totals & { label: string | null })[] }).rows.map(exact);
  });
}
