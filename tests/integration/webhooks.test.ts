import { mkdtemp } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buyNumber, searchNumbers } from "../../app/telephony/numbers.server";
import { readOutbox } from "../../app/utils/mail-transports.server";
import { deliverWebhook } from "../../app/webhooks/deliver.server";
import { piiField } from "../../db/pii-columns";
import { getDelivery, listDeliveries, resendDelivery } from "../../db/queries/webhook-deliveries";
import { createWebhookEndpoint, rotateWebhookSecret, updateWebhookEndpoint } from "../../db/queries/webhook-endpoints";
import { fanOutEvent } from "../../db/queries/webhook-events";
import { placeInboundCall } from "../fakes/twilio-caller";
import { startHostileServer } from "../support/hostile-servers";
import { ownerQuery, seedTenant, seedUser } from "../support/seed";
import { startTelephonyStack } from "../support/telephony";
import { eventually } from "../support/wait";

type Received = { path: string; headers: IncomingHttpHeaders; body: string };
const received: Received[] = [];
/** Paths answered with this status instead of 204 (a receiver that is down). */
const failing = new Map<string, number>();
const receiver = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    received.push({ path: req.url ?? "", headers: req.headers, body });
    const status = failing.get(req.url ?? "") ?? 204;
    res.writeHead(status, { "content-type": "text/plain" }).end(status >= 300 ? "down for maintenance" : "");
  });
});
let hookUrl = "";
let env: Awaited<ReturnType<typeof startTelephonyStack>>;
let outbox = "";
const ownerUrl = () => inject("ownerUrl");
const actor = { userId: null, ip: null };
const at = (path: string) => received.filter((r) => r.path === path);

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  outbox = await mkdtemp(join(tmpdir(), "bvrai-mail-"));
  // Three quick retries stand in for the three-day schedule (its length is configuration).
  env = await startTelephonyStack(inject("appUrl"), undefined, {
    WEBHOOK_RETRY_SCHEDULE_SECONDS: "1,1,1",
    MAIL_OUTBOX_DIR: outbox,
  });
});
afterAll(async () => {
  await env?.stop();
  receiver.close();
});

async function tenantWithNumber(areaCode: string) {
  const tenant = { ...(await seedTenant(ownerUrl())), tenantName: "Hooks Inc", actor };
  const [n] = await searchNumbers(env.t, { country: "US", kind: "local", areaCode });
  const buy = () => buyNumber(env.t, { ...tenant, e164: n!.e164, agentId: tenant.agentId });
  return { tenant, buy };
}
type Event = {
  type: string;
  data: {
    number?: Record<string, unknown>;
    call?: Record<string, unknown>;
    transcript?: { speaker: string; text: string }[];
  };
};
const verify = (secret: string, r: Received) =>
  new Webhook(secret).verify(r.body, {
    "webhook-id": String(r.headers["webhook-id"]),
    "webhook-timestamp": String(r.headers["webhook-timestamp"]),
    "webhook-signature": String(r.headers["webhook-signature"]),
  }) as Event;

describe("tenant webhooks", () => {
  it("deliver a bought number and a call's events, signed per Standard Webhooks, each once, to the endpoints that chose them", async () => {
    const { tenant, buy } = await tenantWithNumber("458");
    const all = await createWebhookEndpoint(env.t.db, env.t.pii, {
      tenantId: tenant.tenantId,
      url: `${hookUrl}/all`,
      events: [],
      actor,
    });
    const ended = await createWebhookEndpoint(env.t.db, env.t.pii, {
      tenantId: tenant.tenantId,
      url: `${hookUrl}/ended`,
      events: ["call.ended"],
      actor,
    });
    const stranger = await seedTenant(ownerUrl());
    await createWebhookEndpoint(env.t.db, env.t.pii, {
      tenantId: stranger.tenantId,
      url: `${hookUrl}/stranger`,
      events: [],
      actor,
    });

    const bought = await buy();
    const account = env.twilioFake.numbers.get(bought.providerSid!)!.account_sid;
    const authToken = env.twilioFake.accounts.get(account)!.auth_token;
    const call = await placeInboundCall({
      edgeUrl: env.stack.edgeUrl,
      authToken,
      accountSid: account,
      to: bought.e164,
      from: "+14155550188",
      talkMs: 1200,
    });
    await eventually(
      async () => at("/all").length >= 4 && at("/ended").length >= 1,
      20_000,
      "four events at /all and one at /ended",
    );

    const events = at("/all").map((r) => verify(all.secret, r));
    expect(events.map((e) => e.type).sort()).toEqual([
      "call.ended",
      "call.started",
      "number.purchased",
      "transcript.ready",
    ]);
    const byType = Object.fromEntries(events.map((e) => [e.type, e.data]));
    expect(byType["number.purchased"]!.number).toMatchObject({ id: bought.id, e164: bought.e164 });
    const [row] = await ownerQuery<{ id: string; duration_seconds: number; cost_micros: string }>(
      ownerUrl(),
      "select id, duration_seconds, cost_micros from calls where provider_call_sid = $1",
      [call.callSid],
    );
    expect(byType["call.started"]!.call).toMatchObject({
      id: row!.id,
      direction: "inbound",
      from: "+14155550188",
      to: bought.e164,
    });
    expect(byType["call.ended"]!.call).toMatchObject({
      id: row!.id,
      status: "completed",
      durationSeconds: row!.duration_seconds,
      costMicros: String(row!.cost_micros),
      agentVersion: 1,
    });
    // Sent after the post-call analysis (SANDBOX here: no model; the caller of this test says nothing).
    expect(byType["call.ended"]!.call!.analysis).toMatchObject({
      status: "completed",
      summary: "The caller did not speak.",
    });
    expect(byType["transcript.ready"]!.transcript?.[0]).toMatchObject({
      speaker: "agent",
      text: "Hello, thanks for calling Acme.",
    });
    // One message id per delivery, the same id the log shows; the other endpoint got only its choice.
    expect(new Set(at("/all").map((r) => r.headers["webhook-id"])).size).toBe(4);
    expect(at("/ended").map((r) => verify(ended.secret, r).type)).toEqual(["call.ended"]);
    expect(() => verify(ended.secret, at("/all")[0]!)).toThrow();
    expect(at("/stranger")).toHaveLength(0);
    const log = await listDeliveries(env.t.db, { tenantId: tenant.tenantId, endpointId: all.id });
    expect(log.map((d) => [d.status, d.attempts, d.lastStatusCode])).toEqual(Array(4).fill(["delivered", 1, 204]));
    // At rest the bodies are sealed: the caller's number is not in the table.
    const raw = await ownerQuery<{ body: string }>(
      ownerUrl(),
      "select body from webhook_deliveries where endpoint_id = $1",
      [all.id],
    );
    expect(raw.every((r) => r.body.startsWith("pii1.") && !r.body.includes("4155550188"))).toBe(true);
  });

  it("retry a failing endpoint on the schedule, then turn it off and email its admins; fixed, a resend delivers", async () => {
    const { tenant, buy } = await tenantWithNumber("541");
    const admin = await seedUser(ownerUrl(), { tenantId: tenant.tenantId, role: "admin" });
    const viewer = await seedUser(ownerUrl(), { tenantId: tenant.tenantId, role: "viewer" });
    failing.set("/down", 503);
    const ep = await createWebhookEndpoint(env.t.db, env.t.pii, {
      tenantId: tenant.tenantId,
      url: `${hookUrl}/down`,
      events: ["number.purchased"],
      actor,
    });
    await buy();
    await eventually(
      async () =>
        (await listDeliveries(env.t.db, { tenantId: tenant.tenantId, endpointId: ep.id }))[0]?.status === "dead",
      30_000,
      "the delivery to die",
    );
    const [dead] = await listDeliveries(env.t.db, { tenantId: tenant.tenantId, endpointId: ep.id });
    expect(dead).toMatchObject({ attempts: 4, lastStatusCode: 503, lastError: "HTTP 503", nextAttemptAt: null });
    expect(at("/down")).toHaveLength(4);
    expect(new Set(at("/down").map((r) => r.headers["webhook-id"])).size).toBe(1);
    const detail = await getDelivery(env.t.db, env.t.pii, { tenantId: tenant.tenantId, id: dead!.id });
    expect(detail!.lastResponse).toBe("down for maintenance");
    const [raw] = await ownerQuery<{ last_response: string }>(
      ownerUrl(),
      "select last_response from webhook_deliveries where id = $1",
      [dead!.id],
    );
    expect(raw!.last_response).toMatch(/^pii1\./); // a receiver may echo what it was sent
    expect(JSON.parse(detail!.body).type).toBe("number.purchased");
    const [endpoint] = await ownerQuery<{ enabled: boolean; disabled_reason: string }>(
      ownerUrl(),
      "select enabled, disabled_reason from webhook_endpoints where id = $1",
      [ep.id],
    );
    expect(endpoint).toMatchObject({ enabled: false, disabled_reason: expect.stringContaining("HTTP 503") });
    const mail = await readOutbox(outbox);
    expect(mail.filter((m) => m.to === admin.email)).toHaveLength(1);
    expect(mail.find((m) => m.to === admin.email)!.text).toContain(`/settings/webhooks/${ep.id}`);
    expect(mail.some((m) => m.to === viewer.email)).toBe(false);

    failing.delete("/down");
    await updateWebhookEndpoint(env.t.db, env.t.pii, { tenantId: tenant.tenantId, id: ep.id, enabled: true, actor });
    expect(await resendDelivery(env.t.db, { tenantId: tenant.tenantId, endpointId: ep.id, id: dead!.id })).toBe(true);
    await eventually(
      async () =>
        (await listDeliveries(env.t.db, { tenantId: tenant.tenantId, endpointId: ep.id }))[0]?.status === "delivered",
      15_000,
      "the resend to arrive",
    );
    expect(verify(ep.secret, at("/down").at(-1)!).type).toBe("number.purchased");
    // Another tenant cannot resend it.
    const other = await seedTenant(ownerUrl());
    expect(await resendDelivery(env.t.db, { tenantId: other.tenantId, endpointId: ep.id, id: dead!.id })).toBe(false);
  });

  it("sign with the old and the new secret for a day after a rotation", async () => {
    const { tenant, buy } = await tenantWithNumber("503");
    const ep = await createWebhookEndpoint(env.t.db, env.t.pii, {
      tenantId: tenant.tenantId,
      url: `${hookUrl}/rotated`,
      events: ["number.purchased"],
      actor,
    });
    const rotated = await rotateWebhookSecret(env.t.db, env.t.pii, { tenantId: tenant.tenantId, id: ep.id, actor });
    await buy();
    await eventually(async () => at("/rotated").length === 1, 15_000, "the delivery");
    const r = at("/rotated")[0]!;
    expect(String(r.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(verify(rotated!.secret, r).type).toBe("number.purchased");
    expect(verify(ep.secret, r).type).toBe("number.purchased");
  });

  it("refuse a destination that resolves to a private address at sending time, sending nothing", async () => {
    const tenant = await seedTenant(ownerUrl());
    const ep = await createWebhookEndpoint(env.t.db, env.t.pii, {
      tenantId: tenant.tenantId,
      url: `http://localhost:${new URL(hookUrl).port}/private`,
      events: [],
      actor,
    });
    const body = await env.t.pii.encrypt(
      JSON.stringify({ type: "number.purchased", timestamp: new Date().toISOString(), data: {} }),
      piiField(tenant.tenantId, "webhook_deliveries", "body"),
    );
    // Written without a queued job, so only the attempt below (with the production setting) runs.
    const [d] = await ownerQuery<{ id: string }>(
      ownerUrl(),
      "insert into webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, payload, body) values ($1, $2, 'e1', 'number.purchased', '{}', $3) returning id",
      [tenant.tenantId, ep.id, body],
    );
    const deps = {
      db: env.t.db,
      pii: env.t.pii,
      mailer: { send: async () => {} },
      allowPrivate: false,
      retrySchedule: [60],
      appUrl: (p: string) => p,
    };
    const result = await deliverWebhook(deps, { tenantId: tenant.tenantId, deliveryId: d!.id, manual: true });
    expect(result).toMatchObject({ sent: false, status: null });
    const after = await getDelivery(env.t.db, env.t.pii, { tenantId: tenant.tenantId, id: d!.id });
    // Said without the host: the URL is encrypted, the delivery log's error is not.
    expect(after!.lastError).toMatch(/^Refused: the host resolves to (127\.0\.0\.1|::1), a loopback address$/);
    expect(at("/private")).toHaveLength(0);
  });

  it("give a slow endpoint a deadline per attempt and at most two slots, never the other endpoints' deliveries", async () => {
    // A receiver that answers 200 and then one byte every 200 ms, for ever (an idle timer never fires).
    const drip = await startHostileServer({ mode: "drip", intervalMs: 200 });
    try {
      const slowTenant = await seedTenant(ownerUrl());
      const slow = await createWebhookEndpoint(env.t.db, env.t.pii, {
        tenantId: slowTenant.tenantId,
        url: `${drip.url}/slow`,
        events: [],
        actor,
      });
      const fastTenant = await seedTenant(ownerUrl());
      await createWebhookEndpoint(env.t.db, env.t.pii, {
        tenantId: fastTenant.tenantId,
        url: `${hookUrl}/fast`,
        events: [],
        actor,
      });
      const emit = (tenantId: string) =>
        fanOutEvent(
          env.t.db,
          env.t.pii,
          {
            tenantId,
            type: "usage.threshold",
            eventId: crypto.randomUUID(),
            occurredAt: new Date().toISOString(),
            ref: {},
          },
          JSON.stringify({ type: "usage.threshold", data: {} }),
        );
      for (let i = 0; i < 5; i++) await emit(slowTenant.tenantId);
      await eventually(async () => drip.requests.length >= 1, 15_000, "a slow attempt to be under way");

      await emit(fastTenant.tenantId);
      await eventually(
        async () => at("/fast").length === 1,
        8_000,
        "the other tenant's delivery while the slow one drips",
      );
      expect(drip.openConnections()).toBeGreaterThan(0);

      const failed = await eventually(
        async () =>
          (await listDeliveries(env.t.db, { tenantId: slowTenant.tenantId, endpointId: slow.id })).find(
            (d) => d.lastError,
          ),
        30_000,
        "a slow attempt to end",
      );
      expect(failed.lastError).toBe("no complete answer within 10000 ms");
      expect(drip.peakOpenConnections()).toBeLessThanOrEqual(2);
      await updateWebhookEndpoint(env.t.db, env.t.pii, {
        tenantId: slowTenant.tenantId,
        id: slow.id,
        enabled: false,
        actor,
      });
    } finally {
      await drip.stop();
    }
  });

  it("keep 2 KB of an endless answer for the log and hang up", async () => {
    const endless = await startHostileServer({ mode: "endless" });
    try {
      const tenant = await seedTenant(ownerUrl());
      const ep = await createWebhookEndpoint(env.t.db, env.t.pii, {
        tenantId: tenant.tenantId,
        url: `${endless.url}/endless`,
        events: [],
        actor,
      });
      await fanOutEvent(
        env.t.db,
        env.t.pii,
        {
          tenantId: tenant.tenantId,
          type: "usage.threshold",
          eventId: crypto.randomUUID(),
          occurredAt: new Date().toISOString(),
          ref: {},
        },
        "{}",
      );
      const [done] = await eventually(
        async () => {
          const log = await listDeliveries(env.t.db, { tenantId: tenant.tenantId, endpointId: ep.id });
          return log[0]?.status === "delivered" && log;
        },
        20_000,
        "the delivery to be filed",
      );
      const detail = await getDelivery(env.t.db, env.t.pii, { tenantId: tenant.tenantId, id: done!.id });
      expect(detail!.lastResponse).toBe("x".repeat(2048));
      await eventually(
        async () => endless.openConnections() === 0,
        10_000,
        "the endless answer's connection to be closed",
      );
    } finally {
      await endless.stop();
    }
  });
});
