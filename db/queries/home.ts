import { and, count, eq, gte, isNotNull, sql } from "drizzle-orm";
import { calls, phoneNumbers, webhookDeliveries, webhookEndpoints } from "../schema";
import { type Db, type Tx, withTenant } from "../tenant";
import { periodStartOf, usageSince } from "./usage";

type Owner = { tenantId: string };

/** Success rate and time to first answer read at most this many of the range's newest calls. */
export const QUALITY_SAMPLE = 1_000;
/** Failing webhook endpoints are judged by the tenant's newest deliveries, not its whole history. */
const RECENT_DELIVERIES = 100;

/** `now` is a parameter, not the database's clock, so a test can name its day. */
const startOfUtcDay = (now: Date) => sql`date_trunc('day', ${now}::timestamptz, 'UTC')`;

/**
 * Of the newest calls created since `start` (a walk of `calls_tenant_created_id_idx`, bounded by
 * QUALITY_SAMPLE): how many, how many the rubric judged and found successful (`call_analyses_call_key`;
 * a lateral with LIMIT, or the planner hashes every analysis of the tenant: 200,000 at a million calls),
 * and the median time to first answer. That is the `latency_ms` of the agent's first reply (its
 * first turn after seq 0, the greeting), read through `call_turns_call_seq_key`: caller stops
 * speaking → first audio of the answer. Not the `call.first_audio` event, which times the greeting
 * from the stream's start, before the caller has asked anything.
 */
async function callQuality(tx: Tx, tenantId: string, start: ReturnType<typeof sql>) {
  const rows = await tx.execute(sql`
    with sample as (
      select c.id from ${calls} c
      where c.tenant_id = ${tenantId} and c.created_at >= ${start}
      order by c.created_at desc, c.id desc limit ${QUALITY_SAMPLE}
    )
    select count(*)::int as sampled,
           count(a.success)::int as judged,
           count(*) filter (where a.success)::int as successful,
           percentile_disc(0.5) within group (order by f.latency_ms) as p50
    from sample s
    left join lateral (
      select a.success from call_analyses a where a.call_id = s.id and a.tenant_id = ${tenantId} limit 1
    ) a on true
    left join lateral (
      select t.latency_ms from call_turns t
      where t.call_id = s.id and t.tenant_id = ${tenantId} and t.seq > 0 and t.speaker = 'agent' and t.latency_ms is not null
      order by t.seq limit 1
    ) f on true`);
  const [r] = (
    rows as unknown as { rows: { sampled: number; judged: number; successful: number; p50: number | null }[] }
  ).rows;
  return {
    sampled: r?.sampled ?? 0,
    capped: (r?.sampled ?? 0) >= QUALITY_SAMPLE,
    judged: r?.judged ?? 0,
    successful: r?.successful ?? 0,
    p50FirstAnswerMs: r?.p50 ?? null,
  };
}

/**
 * Today's (UTC day) and this billing period's figures. Calls placed today: an index range on
 * `calls_tenant_created_id_idx`. Billed calls, minutes and cost: the hourly roll-up (0039), so the
 * period costs a few hundred rows whatever the calls. `periodStart`: the tenant's (billingOf).
 */
export function homeFigures(
  db: Db,
  { tenantId, periodStart, now = new Date() }: Owner & { periodStart: Date | null; now?: Date },
) {
  return withTenant(db, tenantId, async (tx) => {
    const periodStartSql = sql`${periodStartOf({ periodStart })}::timestamptz`;
    const [placed] = await tx
      .select({ n: count() })
      .from(calls)
      .where(and(eq(calls.tenantId, tenantId), gte(calls.createdAt, startOfUtcDay(now))));
    const [start] = (
      (await tx.execute(sql`select ${periodStartSql} as at`)) as unknown as { rows: { at: string | Date }[] }
    ).rows;
    return {
      periodStart: new Date(start!.at),
      today: {
        placed: placed?.n ?? 0,
        billed: await usageSince(tx, tenantId, startOfUtcDay(now)),
        quality: await callQuality(tx, tenantId, startOfUtcDay(now)),
      },
      period: {
        billed: await usageSince(tx, tenantId, periodStartSql),
        quality: await callQuality(tx, tenantId, periodStartSql),
      },
    };
  });
}

/** Numbers whose Twilio configuration drifted, and webhook endpoints turned off or failing lately. */
export function attentionItems(db: Db, { tenantId }: Owner) {
  return withTenant(db, tenantId, async (tx) => {
    const driftedNumbers = await tx
      .select({ id: phoneNumbers.id, e164: phoneNumbers.e164, drift: phoneNumbers.configDrift })
      .from(phoneNumbers)
      .where(and(eq(phoneNumbers.tenantId, tenantId), isNotNull(phoneNumbers.configDrift)))
      .orderBy(phoneNumbers.e164);
    // An endpoint fails when retries turned it off, or when its newest recent delivery failed.
    const rows = await tx.execute(sql`
      with recent as (
        select d.endpoint_id, d.status, d.created_at from ${webhookDeliveries} d
        where d.tenant_id = ${tenantId} order by d.created_at desc limit ${RECENT_DELIVERIES}
      ), latest as (
        select distinct on (endpoint_id) endpoint_id, status from recent order by endpoint_id, created_at desc
      )
      select e.id, e.enabled, e.disabled_reason as "disabledReason", l.status as "lastStatus"
      from ${webhookEndpoints} e left join latest l on l.endpoint_id = e.id
      where e.tenant_id = ${tenantId} and (e.disabled_reason is not null or l.status in ('failed', 'dead'))
      order by e.created_at desc`);
    const failingEndpoints = (
      rows as unknown as {
        rows: { id: string; enabled: boolean; disabledReason: string | null; lastStatus: string | null }[];
      }
    ).rows;
    return { driftedNumbers, failingEndpoints };
  });
}
