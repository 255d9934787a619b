import { Redis as IORedis } from "ioredis";
import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { billingSummary, reconcileUsage, reportUsage, startCheckout } from "../../app/billing/billing.server";
import { BUSY_LINE, PlanLimitError } from "../../core/billing/plans";
import { createAgent } from "../../db/queries/agents";
import { billingOf } from "../../db/queries/billing";
import { createInvitation } from "../../db/queries/invitations";
import { createOutboundCall } from "../../db/queries/outbound-calls";
import { numberAllowance } from "../../db/queries/phone-numbers";
import { recordCallUsage } from "../../db/queries/usage";
import { usageExportBatch } from "../../db/queries/usage-export";
import { dailyUsage, usageBy } from "../../db/queries/usage-report";
import { placeInboundCall } from "../fakes/twilio-caller";
import { startBillingStack } from "../support/billing";
import { ownerQuery, seedTenant, seedUser } from "../support/seed";
import { eventually } from "../support/wait";

let env: Awaited<ReturnType<typeof startBillingStack>>;
const ownerUrl = () => inject("ownerUrl");

beforeAll(async () => {
  env = await startBillingStack(inject("appUrl"));
});
afterAll(() => env?.stop());

/** A tenant that has been through Checkout for `plan`; returns its subscription at the fake. */
async function subscribed(plan: "payg" | "pro") {
  const tenant = await seedTenant(ownerUrl());
  const user = await seedUser(ownerUrl(), { tenantId: tenant.tenantId, role: "owner" });
  const url = await startCheckout(env.billing, {
    tenantId: tenant.tenantId,
    tenantName: "Acme",
    email: user.email,
    plan,
  });
  const { subscription, events } = await env.stripeFake.completeCheckout(url.split("/").pop()!);
  for (const e of events) expect(e.status).toBe(200);
  return { ...tenant, subscription, events };
}
const stripeEventRows = (id: string) => ownerQuery(ownerUrl(), "select id from stripe_events where id = $1", [id]);

describe("billing with Stripe", () => {
  it("Checkout completed: the plan is active and its limits apply; duplicates, reordering, forgeries and replays change nothing", async () => {
    const t = await subscribed("pro");
    expect(await billingOf(env.stack.db, t)).toMatchObject({
      plan: "pro",
      status: "active",
      subscriptionId: t.subscription.id,
      customerId: t.subscription.customer,
      pastDueSince: null,
    });
    expect((await numberAllowance(env.stack.db, t)).max).toBe(50);

    // The same event delivered again is recognised and not applied twice.
    const [completed] = t.events;
    expect(
      (await env.stripeFake.send(completed!.event.type, completed!.event.data.object, { id: completed!.event.id }))
        .status,
    ).toBe(200);
    expect(await stripeEventRows(completed!.event.id)).toHaveLength(1);

    // An older "past due" update arriving late: the subscription is re-fetched, so the tenant stays active.
    const stale = { ...env.stripeFake.subscriptionJson(t.subscription), status: "past_due" };
    expect(
      (
        await env.stripeFake.send("customer.subscription.updated", stale, {
          created: Math.floor(Date.now() / 1000) - 600,
        })
      ).status,
    ).toBe(200);
    expect(await billingOf(env.stack.db, t)).toMatchObject({ plan: "pro", status: "active", pastDueSince: null });

    // Forged (wrong secret) and replayed (signed an hour ago) posts are refused with 400, and recorded nowhere.
    const forged = await env.stripeFake.send(
      "customer.subscription.deleted",
      { ...stale, status: "canceled" },
      { secret: "whsec_not_ours" },
    );
    expect(forged.status).toBe(400);
    const replay = await env.stripeFake.send(
      "customer.subscription.deleted",
      { ...stale, status: "canceled" },
      { signedAt: Math.floor(Date.now() / 1000) - 3600 },
    );
    expect(replay.status).toBe(400);
    expect(await stripeEventRows(forged.event.id)).toEqual([]);
    expect(await stripeEventRows(replay.event.id)).toEqual([]);
    expect((await billingOf(env.stack.db, t))!.plan).toBe("pro");
  });

  it("a failed payment: a grace period, then new calls are refused politely, then paying lifts it at once", async () => {
    const t = await subscribed("payg");
    const call = () =>
      placeInboundCall({
        edgeUrl: env.stack.edgeUrl,
        authToken: env.stack.secrets.TWILIO_AUTH_TOKEN,
        to: t.number,
        from: "+14155550190",
        talkMs: 0,
      });
    expect((await env.stripeFake.changeSubscription(t.subscription.id, "past_due")).status).toBe(200);
    const failing = await billingOf(env.stack.db, t);
    expect(failing).toMatchObject({ status: "past_due", plan: "payg" });
    expect(failing!.pastDueSince).toBeInstanceOf(Date);
    expect((await call()).twiml).toContain("<Connect action="); // within the grace period calls go on

    await ownerQuery(ownerUrl(), "update tenants set past_due_since = now() - interval '8 days' where id = $1", [
      t.tenantId,
    ]);
    const refused = await call();
    expect(refused.twiml).toContain(
      "<Say>Sorry, this line cannot take calls right now. Please try again later. Goodbye.</Say><Hangup/>",
    );
    const summary = await billingSummary(env.billing, t);
    expect(summary!.graceEndsAt!.getTime()).toBeLessThan(Date.now());

    expect((await env.stripeFake.changeSubscription(t.subscription.id, "active", "invoice.paid")).status).toBe(200);
    expect((await billingOf(env.stack.db, t))!.pastDueSince).toBeNull();
    expect((await call()).twiml).toContain("<Connect action=");
    expect(await ownerQuery(ownerUrl(), "select id from agents where tenant_id = $1", [t.tenantId])).toHaveLength(1); // nothing was lost
  });

  it("1000 calls of random lengths: our usage, Stripe's meter and the invoice preview agree exactly, though a worker dies and another crashes midway", async () => {
    const t = await subscribed("pro");
    const lengths = Array.from({ length: 1000 }, (_, i) => 1 + ((i * 7919 + 13) % 600));
    const ids = await ownerQuery<{ id: string }>(
      ownerUrl(),
      `insert into calls (tenant_id, agent_id, direction, status, started_at, ended_at, duration_seconds)
       select $1, $2, 'inbound', 'completed', now() - make_interval(secs => d), now(), d from unnest($3::int[]) as d returning id`,
      [t.tenantId, t.agentId, lengths],
    );
    // Jobs queued from here expire a second after a worker takes them, so a dead worker's jobs come back quickly.
    await ownerQuery(
      ownerUrl(),
      "update pgboss.queue set expire_seconds = 1, retry_delay = 1 where name = 'usage.report'",
    );
    // The call.ended job's work, ten at a time as several workers would: each call priced once, in turn.
    const price = (batch: { id: string }[]) =>
      Promise.all(batch.map(({ id }) => recordCallUsage(env.stack.db, { tenantId: t.tenantId, callId: id })));
    const doomed = new PgBoss({
      connectionString: inject("appUrl"),
      migrate: false,
      supervise: false,
      schedule: false,
    });
    await doomed.start();
    const held: PgBoss.Job<unknown>[] = [];
    let doomedAlive = true;
    for (let i = 0; i < ids.length; i += 10) {
      await price(ids.slice(i, i + 10));
      // Early on, a second jobs process takes reports as they are queued (the running worker may
      // take each batch first: it is fast) and is killed before finishing them: they stay active,
      // owned by nobody, until they expire and are retried.
      if (doomedAlive && i >= 190) {
        held.push(...(await doomed.fetch("usage.report", { batchSize: 100 })));
        if (held.length >= 10 || i >= 790) {
          await doomed.stop({ graceful: false, wait: true });
          doomedAlive = false;
        }
      }
    }
    await price(ids.slice(0, 20)); // retried call.ended jobs: no-ops
    await ownerQuery(
      ownerUrl(),
      "update pgboss.queue set expire_seconds = 60, retry_delay = 10 where name = 'usage.report'",
    );
    expect(held.length).toBeGreaterThan(0);

    // A worker that crashed after Stripe took its event but before marking it: the retry sends the same identifier.
    const [first] = await ownerQuery<{ id: string }>(
      ownerUrl(),
      "select id from usage_records where tenant_id = $1 order by created_at limit 1",
      [t.tenantId],
    );
    await env.billing.stripe!.billing.meterEvents.create({
      event_name: "bvrai_call_seconds",
      identifier: first!.id,
      payload: { stripe_customer_id: t.subscription.customer, value: String(lengths[0]) },
    });
    await reportUsage(env.billing, { tenantId: t.tenantId, usageRecordId: first!.id });

    await eventually(
      async () =>
        (
          await ownerQuery(ownerUrl(), "select id from usage_records where tenant_id = $1 and reported_at is null", [
            t.tenantId,
          ])
        ).length === 0,
      90_000,
      "every usage record to be reported",
    );
    const retried = await ownerQuery<{ n: number }>(
      ownerUrl(),
      "select count(*)::int as n from pgboss.job where name = 'usage.report' and id = any($1::uuid[]) and state = 'completed' and retry_count >= 1",
      [held.map((j) => j.id)],
    );
    expect(retried[0]!.n).toBe(held.length); // the dead worker's reports were retried, none lost
    const [ours] = await ownerQuery<{ seconds: string; micros: string; n: number }>(
      ownerUrl(),
      "select sum(quantity)::text as seconds, sum(amount_micros)::text as micros, count(*)::int as n from usage_records where tenant_id = $1",
      [t.tenantId],
    );
    const total = lengths.reduce((a, b) => a + b, 0);
    expect(ours).toEqual({ seconds: String(total), micros: String(Math.max(0, total - 120_000) * 1000), n: 1000 });

    const period = t.subscription.period;
    const meter = await env.billing.stripe!.billing.meters.listEventSummaries("mtr_call_seconds", {
      customer: t.subscription.customer,
      start_time: period[0],
      end_time: period[1],
    });
    expect(meter.data[0]!.aggregated_value).toBe(total);
    const preview = await env.billing.stripe!.invoices.createPreview({
      customer: t.subscription.customer,
      subscription: t.subscription.id,
    });
    // The invoice is in cents: the fee, plus our usage total rounded once to the cent.
    expect(preview.total).toBe(9900 + Math.round(Number(ours!.micros) / 10_000));
    const summary = await billingSummary(env.billing, t);
    expect(summary!.usage).toMatchObject({ seconds: BigInt(total), micros: BigInt(ours!.micros), calls: 1000 });

    // The nightly reconciliation finds nothing to report; an event Stripe has and we do not, it reports.
    const mine = (d: { tenantId: string }[]) => d.filter((x) => x.tenantId === t.tenantId);
    expect(mine(await reconcileUsage(env.billing, () => {}))).toEqual([]);
    await env.billing.stripe!.billing.meterEvents.create({
      event_name: "bvrai_call_seconds",
      identifier: `stray-${t.tenantId}`,
      payload: { stripe_customer_id: t.subscription.customer, value: "7" },
    });
    expect(mine(await reconcileUsage(env.billing, () => {}))).toEqual([
      { tenantId: t.tenantId, ours: BigInt(total), stripe: BigInt(total + 7) },
    ]);
  }, 180_000);

  it("holds the trial to its agents and seats, saying which limit and how to raise it; a paid plan raises them", async () => {
    const t = await seedTenant(ownerUrl());
    const actor = { userId: null, ip: null };
    const agent = (n: number) =>
      createAgent(env.stack.db, {
        tenantId: t.tenantId,
        actor,
        name: `Agent ${n}`,
        systemPrompt: "p",
        firstMessage: "hi",
        voice: "sandbox-alloy",
        model: "gpt-4o-mini",
      });
    for (let n = 2; n <= 5; n++) await agent(n); // the seeded agent is the first
    await expect(agent(6)).rejects.toThrow(
      new PlanLimitError("Your Free trial plan allows 5 agents. Upgrade under Settings → Billing for more."),
    );
    for (const who of ["a", "b", "c"])
      await createInvitation(env.stack.db, {
        tenantId: t.tenantId,
        email: `${who}-${t.tenantId}@example.com`,
        role: "member",
        actor,
      });
    await expect(
      createInvitation(env.stack.db, {
        tenantId: t.tenantId,
        email: `d-${t.tenantId}@example.com`,
        role: "member",
        actor,
      }),
    ).rejects.toThrow(/allows 3 team members/);
    // Calls at once: with the trial's five live, a sixth outbound call is refused before Twilio is asked.
    const [number] = await ownerQuery<{ id: string }>(ownerUrl(), "select id from phone_numbers where tenant_id = $1", [
      t.tenantId,
    ]);
    await ownerQuery(
      ownerUrl(),
      "insert into calls (tenant_id, agent_id, direction, status) select $1, $2, 'outbound', 'ringing' from generate_series(1, 5)",
      [t.tenantId, t.agentId],
    );
    const dial = () =>
      createOutboundCall(env.stack.db, env.stack.pii, {
        tenantId: t.tenantId,
        agentId: t.agentId,
        fromNumberId: number!.id,
        to: "+14155550199",
        variables: {},
        machineDetection: "off",
        voicemailMessage: null,
      });
    expect(await dial()).toEqual({
      kind: "busy",
      message: "Your Free trial plan allows 5 calls at once. Upgrade under Settings → Billing for more.",
    });
    await ownerQuery(ownerUrl(), "update tenants set plan = 'payg' where id = $1", [t.tenantId]);
    expect(await dial()).toMatchObject({ kind: "created" });
    await expect(agent(6)).resolves.toMatchObject({ name: "Agent 6" });
    expect(await ownerQuery(ownerUrl(), "select id from agents where tenant_id = $1", [t.tenantId])).toHaveLength(6);
  });

  it("usage reports: per day (every day present), per agent and per number, and per call, all adding up exactly", async () => {
    const t = await seedTenant(ownerUrl());
    await ownerQuery(ownerUrl(), "update tenants set plan = 'payg' where id = $1", [t.tenantId]);
    const second = await createAgent(env.stack.db, {
      tenantId: t.tenantId,
      actor: { userId: null, ip: null },
      name: "Night desk",
      systemPrompt: "p",
      firstMessage: "hi",
      voice: "sandbox-alloy",
      model: "gpt-4o-mini",
    });
    const [number] = await ownerQuery<{ id: string }>(ownerUrl(), "select id from phone_numbers where tenant_id = $1", [
      t.tenantId,
    ]);
    const made = await ownerQuery<{ id: string }>(
      ownerUrl(),
      `insert into calls (tenant_id, agent_id, phone_number_id, direction, status, started_at, ended_at, duration_seconds)
       values ($1, $2, $4, 'inbound', 'completed', now(), now(), 61), ($1, $2, $4, 'inbound', 'completed', now(), now(), 30), ($1, $3, null, 'web', 'completed', now(), now(), 9) returning id`,
      [t.tenantId, t.agentId, second.id, number!.id],
    );
    for (const { id } of made) await recordCallUsage(env.stack.db, { tenantId: t.tenantId, callId: id });
    await ownerQuery(ownerUrl(), "update usage_records set created_at = now() - interval '2 days' where call_id = $1", [
      made[0]!.id,
    ]);
    const today = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()));
    const range = {
      tenantId: t.tenantId,
      from: new Date(today.getTime() - 3 * 86_400_000),
      to: new Date(today.getTime() + 86_400_000),
    };

    const days = await dailyUsage(env.stack.db, range);
    expect(days.map((d) => [d.calls, d.seconds, d.micros])).toEqual([
      [0, 0n, 0n],
      [1, 61n, 91_500n],
      [0, 0n, 0n],
      [2, 39n, 58_500n],
    ]);
    expect(
      (await usageBy(env.stack.db, { ...range, by: "agent" })).map((r) => [r.label, r.calls, r.seconds, r.micros]),
    ).toEqual([
      ["Receptionist", 2, 91n, 136_500n],
      ["Night desk", 1, 9n, 13_500n],
    ]);
    expect((await usageBy(env.stack.db, { ...range, by: "number" })).map((r) => [r.label, r.calls])).toEqual([
      [t.number, 2],
      [null, 1],
    ]);
    const lines = await usageExportBatch(env.stack.db, range);
    expect(lines.reduce((a, l) => a + l.micros, 0n)).toBe(150_000n);
    // Another tenant's range over the same days sees none of it.
    const other = await seedTenant(ownerUrl());
    expect(await usageExportBatch(env.stack.db, { ...range, tenantId: other.tenantId })).toEqual([]);
  });

  it("the edge turns away a call when the team's live calls already fill its plan, and lets it through once one ends", async () => {
    const t = await seedTenant(ownerUrl());
    const redis = new IORedis("redis://127.0.0.1:6379");
    try {
      const key = `bvrai:calls:${t.tenantId}`;
      // Five calls on the relays (the trial's limit), each lease a minute from expiry.
      for (let i = 0; i < 5; i++) await redis.zadd(key, Date.now() + 60_000, `live-${i}`);
      const call = () =>
        placeInboundCall({
          edgeUrl: env.stack.edgeUrl,
          authToken: env.stack.secrets.TWILIO_AUTH_TOKEN,
          to: t.number,
          from: "+14155550191",
          talkMs: 0,
        });
      const busy = await call();
      expect(busy.twiml).toContain(`<Say>${BUSY_LINE}</Say><Hangup/>`);
      expect(busy.streamed).toBe(false);
      const [row] = await ownerQuery<{ status: string; end_reason: string }>(
        ownerUrl(),
        "select status, end_reason from calls where provider_call_sid = $1",
        [busy.callSid],
      );
      expect(row).toEqual({ status: "failed", end_reason: "concurrency_limit" });
      // One lease lapses (its call ended, or its relay died): there is room again.
      await redis.zadd(key, Date.now() - 1, "live-0");
      expect((await call()).twiml).toContain("<Connect action=");
      await redis.del(key);
    } finally {
      redis.disconnect();
    }
  });
});
