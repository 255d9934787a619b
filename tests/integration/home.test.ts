import { afterAll, describe, expect, inject, it } from "vitest";
import { homeData } from "../../app/routes/_portal.home.server";
import { createPiiCipher, generatePiiKey } from "../../core/crypto/pii";
import { createNodeDb } from "../../db/node-client";
import { ownerQuery, seedTenant } from "../support/seed";

const ownerUrl = () => inject("ownerUrl");
const db = createNodeDb(inject("appUrl"), { max: 2 });
const pii = createPiiCipher({ keys: generatePiiKey("home"), blindIndexKey: "home-index" });
afterAll(() => db.$pool.end());

const sql = (text: string, values: unknown[] = []) => ownerQuery<Record<string, unknown>>(ownerUrl(), text, values);

/**
 * A tenant with a known day and period: calls today and earlier in the period (judged and not,
 * with first answers), a live call, usage records inside, on the edge of and before the period,
 * a drifted number, a turned-off and a failing webhook endpoint, a failed payment.
 * `scale` makes an adversary's figures different in every column.
 */
// The test's own "now", mid-day: the figures never depend on the day the test runs, nor on midnight passing during it.
const NOW = new Date("2026-03-10T12:00:00Z");
const at = `'${NOW.toISOString()}'::timestamptz`;

async function seedHome(scale: number) {
  const t = await seedTenant(ownerUrl());
  const day = `date_trunc('day', ${at}, 'UTC')`;
  // The period began 3 days ago, 20 minutes past the hour: its first hour is read from raw records.
  await sql(
    `update tenants set plan = 'trial', past_due_since = now(), period_start = ${day} - interval '3 days' + interval '20 minutes' where id = $1`,
    [t.tenantId],
  );
  const call = async (createdAt: string, status = "completed") =>
    (
      (await sql(
        `insert into calls (tenant_id, agent_id, direction, status, created_at, ended_at, duration_seconds)
         values ($1, $2, 'web', $3, ${createdAt}, case when $3 = 'completed' then ${at} end, 1) returning id`,
        [t.tenantId, t.agentId, status],
      )) as { id: string }[]
    )[0]!.id;
  const judged = async (callId: string, success: boolean | null) =>
    sql("insert into call_analyses (tenant_id, call_id, status, success) values ($1, $2, 'completed', $3)", [
      t.tenantId,
      callId,
      success,
    ]);
  const turn = async (callId: string, seq: number, speaker: string, latency: number | null) =>
    sql(
      "insert into call_turns (tenant_id, call_id, seq, speaker, text, offset_ms, latency_ms) values ($1, $2, $3, $4, 'x', $5, $6)",
      [t.tenantId, callId, seq, speaker, seq * 1000, latency],
    );
  const usage = async (callId: string | null, createdAt: string, seconds: number, micros: number) =>
    sql(
      `insert into usage_records (tenant_id, call_id, kind, quantity, unit_price_micros, amount_micros, created_at)
       values ($1, $2, 'call_seconds', $3, 0, $4, ${createdAt})`,
      [t.tenantId, callId, seconds * scale, micros * scale],
    );
  const [c1, c2, c3] = [await call(at), await call(at), await call(at)];
  const c4 = await call(`${day} - interval '2 days'`);
  const live = await call(at, "in_progress");
  await judged(c1, true);
  await judged(c2, false);
  await judged(c3, null); // no rubric: not judged
  await judged(c4, scale === 1);
  // c1: the greeting (seq 0) has no latency; its first reply is 800 ms; a later one does not count.
  await turn(c1, 0, "agent", null);
  await turn(c1, 1, "caller", null);
  await turn(c1, 2, "agent", 800 * scale);
  await turn(c1, 4, "agent", 5000);
  await turn(c2, 2, "agent", 1200 * scale);
  await turn(c4, 1, "caller", null);
  await turn(c4, 2, "agent", 400 * scale);
  await usage(c1, at, 60, 60_000);
  await usage(c2, at, 90, 90_000);
  await usage(c3, at, 30, 30_001);
  await usage(c4, `${day} - interval '2 days'`, 120, 7);
  const periodStart = `${day} - interval '3 days' + interval '20 minutes'`;
  await usage(null, `${periodStart} + interval '5 minutes'`, 10, 3); // the period's partial first hour
  await usage(null, `${periodStart} - interval '5 minutes'`, 1000, 999_999); // before the period
  await call(`${periodStart} - interval '1 hour'`); // before the period: no figure counts it
  await sql("update phone_numbers set config_drift = 'voice URL points elsewhere' where tenant_id = $1", [t.tenantId]);
  const endpoint = async (disabledReason: string | null, lastStatus: string | null) => {
    const [e] = (await sql(
      "insert into webhook_endpoints (tenant_id, url, secret, enabled, disabled_reason) values ($1, 'sealed', 'sealed', $2, $3) returning id",
      [t.tenantId, disabledReason == null, disabledReason],
    )) as { id: string }[];
    if (lastStatus)
      await sql(
        `insert into webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, payload, status, created_at)
         values ($1, $2, 'e1', 'call.ended', '{}', 'delivered', now() - interval '1 hour'),
                ($1, $2, 'e2', 'call.ended', '{}', $3, now())`,
        [t.tenantId, e!.id, lastStatus],
      );
    return e!.id;
  };
  const turnedOff = await endpoint("Every attempt to deliver an event failed (last: HTTP 500).", null);
  const failing = await endpoint(null, "failed");
  await endpoint(null, "delivered"); // healthy: not listed
  return { ...t, calls: { c1, c2, c3, c4, live }, turnedOff, failing };
}

describe("the home page's figures", () => {
  it("are exact for the tenant's day and period, and never count another tenant's data", async () => {
    const a = await seedHome(1);
    const adversary = await seedHome(7);
    const home = await homeData(db, pii, a.tenantId, NOW);

    expect(home.today).toEqual({
      placed: 4, // three ended and one live, created today
      billedCalls: 3,
      minutes: "3.0", // 180 s
      cost: "$0.180001",
      successRate: "50 %", // c1 yes, c2 no; c3 not judged
      judged: 2,
      p50FirstAnswer: "800 ms", // of 800 and 1200
      sampleCapped: false,
    });
    expect(home.period).toEqual({
      placed: null,
      billedCalls: 5, // today's three, c4, and the record in the period's first partial hour
      minutes: "5.2", // 180 + 120 + 10 = 310 s
      cost: "$0.180011",
      successRate: "67 %", // c1, c4 of c1, c2, c4
      judged: 3,
      p50FirstAnswer: "800 ms", // of 400, 800 and 1200
      sampleCapped: false,
    });
    expect(home.liveNow).toBe(1);
    expect(home.firstAgentId).toBe(a.agentId);
    expect(home.onboarding).toMatchObject({ agent: true, number: true, payment: false });
    const own = Object.values(a.calls);
    expect(home.recent).toHaveLength(5);
    expect(home.recent.every((c) => own.includes(c.id))).toBe(true);
    expect(home.recent[0]!.id).not.toBe(a.calls.c4); // newest first: c4 is two days old
    expect(home.attention.paymentFailing).toEqual({ refusing: false });
    expect(home.attention.driftedNumbers).toEqual([
      { id: expect.any(String), e164: a.number, drift: "voice URL points elsewhere" },
    ]);
    expect(home.attention.failingEndpoints.map((e) => e.id).sort()).toEqual([a.turnedOff, a.failing].sort());
    expect(home.attention.trialMinutesLeft).toBe("54.8"); // 3600 − 310 s

    // The adversary sees its own figures (every one scaled), none of the first tenant's.
    const theirs = await homeData(db, pii, adversary.tenantId, NOW);
    expect(theirs.today.minutes).toBe("21.0");
    expect(theirs.period.successRate).toBe("33 %");
    expect(theirs.today.p50FirstAnswer).toBe("5600 ms");
    expect(theirs.recent.every((c) => Object.values(adversary.calls).includes(c.id))).toBe(true);
    expect(theirs.attention.failingEndpoints.map((e) => e.id).sort()).toEqual(
      [adversary.turnedOff, adversary.failing].sort(),
    );
    expect(theirs.attention.driftedNumbers.map((n) => n.e164)).toEqual([adversary.number]);
  });

  it("shows a new tenant nothing but what to do next", async () => {
    const [tenant] = (await sql("insert into tenants (name) values ('Empty') returning id")) as { id: string }[];
    const home = await homeData(db, pii, tenant!.id);
    expect(home.firstAgentId).toBe(null);
    expect(home.onboarding).toEqual({ agent: false, browserTest: false, number: false, payment: false });
    expect(home.recent).toEqual([]);
    expect(home.today).toMatchObject({
      placed: 0,
      billedCalls: 0,
      cost: "$0.00",
      successRate: null,
      p50FirstAnswer: null,
    });
    expect(home.attention).toMatchObject({ paymentFailing: null, driftedNumbers: [], failingEndpoints: [] });
    expect(home.attention.trialMinutesLeft).toBe("60.0");
  });
});
