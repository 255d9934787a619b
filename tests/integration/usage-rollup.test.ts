import { afterAll, describe, expect, inject, it } from "vitest";
import { createNodeDb } from "../../db/node-client";
import { recordCallUsage, secondsUsed } from "../../db/queries/usage";
import { dailyUsage, usageBy } from "../../db/queries/usage-report";
import { withTenant } from "../../db/tenant";
import { ownerQuery, seedTenant } from "../support/seed";

const ownerUrl = () => inject("ownerUrl");
const db = createNodeDb(inject("appUrl"), { max: 2 });
afterAll(() => db.$pool.end());

const rawSum = async (tenantId: string, since: Date) =>
  BigInt(
    (
      await ownerQuery<{ s: string }>(
        ownerUrl(),
        "select coalesce(sum(quantity), 0)::text as s from usage_records where tenant_id = $1 and created_at >= $2",
        [tenantId, since],
      )
    )[0]!.s,
  );
// Both roll-ups as rows, and the same rows computed from the raw records (rows emptied by removals are nothing).
const rollupAndRecords = async (tenantId: string) => {
  const rows = (query: string) =>
    ownerQuery<Record<string, unknown>>(ownerUrl(), `${query} order by 1, 2 nulls first, 3 nulls first`, [tenantId]);
  return {
    rollup: await rows(
      `select hour::text as at, null::uuid as agent, null::uuid as number, calls, seconds, micros from usage_hourly where tenant_id = $1 and calls <> 0
       union all
       select day::text, agent_id, phone_number_id, calls, seconds, micros from usage_daily where tenant_id = $1 and calls <> 0`,
    ),
    records: await rows(
      `select date_trunc('hour', created_at, 'UTC')::text as at, null::uuid as agent, null::uuid as number, count(*)::int as calls,
              sum(quantity) as seconds, sum(amount_micros) as micros
       from usage_records where tenant_id = $1 group by 1
       union all
       select (u.created_at at time zone 'UTC')::date::text, c.agent_id, c.phone_number_id, count(*)::int, sum(u.quantity), sum(u.amount_micros)
       from usage_records u left join calls c on c.id = u.call_id where u.tenant_id = $1 group by 1, 2, 3`,
    ),
  };
};
const expectRollupsExact = async (tenantId: string) => {
  const { rollup, records } = await rollupAndRecords(tenantId);
  expect(rollup.length).toBeGreaterThan(0);
  expect(rollup).toEqual(records);
};

describe("the hourly usage roll-up", () => {
  it("gives exactly the raw records' seconds for any period start, as records are added, corrected and removed", async () => {
    const { tenantId } = await seedTenant(ownerUrl());
    // Records every 7 minutes for 30 hours, on and off the hour; quantities vary.
    await ownerQuery(
      ownerUrl(),
      `insert into usage_records (tenant_id, kind, quantity, unit_price_micros, amount_micros, created_at)
       select $1, 'call_seconds', 1 + g % 97, 1000, (1 + g % 97) * 1000,
              date_trunc('hour', now()) - interval '30 hours' + g * interval '7 minutes'
       from generate_series(0, 30 * 60 / 7) g`,
      [tenantId],
    );
    const hourAgo = (h: number, extraMinutes = 0) =>
      new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - h * 3_600_000 + extraMinutes * 60_000);
    const starts = [hourAgo(29, 0), hourAgo(29, 7), hourAgo(12, 33), hourAgo(12, 0.001), hourAgo(0, 1), hourAgo(40)];
    const check = async () => {
      for (const start of starts) {
        const used = await withTenant(db, tenantId, (tx) => secondsUsed(tx, tenantId, { periodStart: start }));
        expect(used, start.toISOString()).toBe(await rawSum(tenantId, start));
      }
      await expectRollupsExact(tenantId);
    };
    await check();

    // An operator's correction and removal move the roll-up too.
    await ownerQuery(
      ownerUrl(),
      "update usage_records set quantity = quantity + 5, created_at = created_at + interval '50 minutes' where tenant_id = $1 and quantity % 3 = 0",
      [tenantId],
    );
    await ownerQuery(ownerUrl(), "delete from usage_records where tenant_id = $1 and quantity % 5 = 0", [tenantId]);
    await check();
  });

  it("follows a call's usage written by the application under its tenant", async () => {
    const { tenantId, agentId } = await seedTenant(ownerUrl());
    const [call] = await ownerQuery<{ id: string }>(
      ownerUrl(),
      `insert into calls (tenant_id, agent_id, direction, status, started_at, ended_at, duration_seconds)
       values ($1, $2, 'inbound', 'completed', now() - interval '95 seconds', now(), 95) returning id`,
      [tenantId, agentId],
    );
    expect((await recordCallUsage(db, { tenantId, callId: call!.id })).recorded).toBe(true);
    const start = new Date(Date.now() - 86_400_000);
    expect(await withTenant(db, tenantId, (tx) => secondsUsed(tx, tenantId, { periodStart: start }))).toBe(95n);
    expect(await withTenant(db, tenantId, (tx) => secondsUsed(tx, tenantId, { periodStart: null }))).toBe(95n);
    await expectRollupsExact(tenantId);
  });

  it("gives the usage page exactly the raw records' totals by day, agent and number, for whole and partial days", async () => {
    const { tenantId, agentId } = await seedTenant(ownerUrl());
    const [other] = await ownerQuery<{ id: string }>(
      ownerUrl(),
      "insert into agents (tenant_id, name, system_prompt, first_message, voice, model) values ($1, 'Night desk', 'p', 'hi', 'sandbox-alloy', 'gpt-4o-mini') returning id",
      [tenantId],
    );
    const [number] = await ownerQuery<{ id: string }>(ownerUrl(), "select id from phone_numbers where tenant_id = $1", [
      tenantId,
    ]);
    // 120 calls over five fixed days, every 53 minutes: two agents, phone and web; one record without a call.
    await ownerQuery(
      ownerUrl(),
      `with made as (
         insert into calls (tenant_id, agent_id, phone_number_id, direction, status, started_at, ended_at, duration_seconds, created_at)
         select $1, case when g % 3 = 0 then $3::uuid else $2::uuid end, case when g % 4 = 0 then null else $4::uuid end,
                case when g % 4 = 0 then 'web' else 'inbound' end, 'completed', t, t, 1 + g % 89, t
         from generate_series(0, 119) g, lateral (select '2026-03-01T22:00:00Z'::timestamptz + g * interval '53 minutes' as t) at
         returning id, tenant_id, duration_seconds, created_at)
       insert into usage_records (tenant_id, call_id, kind, quantity, unit_price_micros, amount_micros, created_at)
       select tenant_id, id, 'call_seconds', duration_seconds, 1500, duration_seconds * 1500, created_at from made
       union all select $1, null, 'call_seconds', 7, 1500, 10500, '2026-03-03T12:00:00Z'`,
      [tenantId, agentId, other!.id, number!.id],
    );
    await expectRollupsExact(tenantId);
    const raw = (from: Date, to: Date, by: string) =>
      ownerQuery<{ label: string | null; calls: number; seconds: string; micros: string }>(
        ownerUrl(),
        `select ${by} as label, count(*)::int as calls, sum(u.quantity)::text as seconds, sum(u.amount_micros)::text as micros
         from usage_records u left join calls c on c.id = u.call_id left join agents a on a.id = c.agent_id
           left join phone_numbers n on n.id = c.phone_number_id
         where u.tenant_id = $1 and u.created_at >= $2 and u.created_at < $3 group by 1 order by 1 nulls last`,
        [tenantId, from, to],
      );
    const at = (iso: string) => new Date(iso);
    const ranges = [
      [at("2026-03-01T00:00:00Z"), at("2026-03-07T00:00:00Z")],
      [at("2026-03-02T00:00:00Z"), at("2026-03-03T00:00:00Z")],
      [at("2026-03-01T23:17:00Z"), at("2026-03-04T05:59:59.999Z")],
      [at("2026-03-02T10:00:00Z"), at("2026-03-02T15:00:00Z")],
      [at("2026-03-03T00:00:00Z"), at("2026-03-03T12:00:00.001Z")],
    ] as const;
    const text = (rows: { label: string | null; calls: number; seconds: bigint | string; micros: bigint | string }[]) =>
      rows
        .map((r) => [r.label, r.calls, String(r.seconds), String(r.micros)])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    for (const [from, to] of ranges) {
      const range = { tenantId, from, to };
      expect(text(await usageBy(db, { ...range, by: "agent" })), from.toISOString()).toEqual(
        text(await raw(from, to, "a.name")),
      );
      expect(text(await usageBy(db, { ...range, by: "number" })), from.toISOString()).toEqual(
        text(await raw(from, to, "n.e164")),
      );
      const days = await dailyUsage(db, range);
      const byDay = await raw(from, to, "to_char(u.created_at at time zone 'UTC', 'YYYY-MM-DD')");
      expect(text(days.filter((d) => d.calls > 0).map((d) => ({ ...d, label: d.day })))).toEqual(text(byDay));
    }
  });
});
