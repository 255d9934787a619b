import { afterAll, describe, expect, inject, it } from "vitest";
import { createNodeDb } from "../../db/node-client";
import { recordCallUsage, secondsUsed } from "../../db/queries/usage";
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
const rollupMatchesRecords = (tenantId: string) =>
  ownerQuery(
    ownerUrl(),
    `select hour, calls, seconds, micros from usage_hourly where tenant_id = $1
     except select date_trunc('hour', created_at, 'UTC'), count(*), sum(quantity), sum(amount_micros)
       from usage_records where tenant_id = $1 group by 1`,
    [tenantId],
  );

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
      expect(await rollupMatchesRecords(tenantId)).toEqual([]);
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
    expect(await rollupMatchesRecords(tenantId)).toEqual([]);
  });
});
