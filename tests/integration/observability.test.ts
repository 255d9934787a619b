import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { getRequestListener } from "@hono/node-server";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApi } from "../../app/api/app";
import { measureQueues } from "../../app/jobs/queue-metrics.server";
import { observeJob } from "../../app/jobs/worker.server";
import { createWebApp } from "../../app/server/app";
import { telephonyFrom } from "../../app/telephony/numbers.server";
import { twilioClient } from "../../app/telephony/twilio.server";
import { stripeClient } from "../../core/billing/stripe";
import { startTelemetry } from "../../core/telemetry";
import { startOpsServer } from "../../core/telemetry/health";
import { flushSentry } from "../../core/telemetry/sentry";
import { traced } from "../../core/telemetry/tracing";
import { createNodeDb } from "../../db/node-client";
import { createApiKey } from "../../db/queries/api-keys";
import { type CollectedSpan, startOtlpCollector } from "../fakes/otlp-collector";
import { startSentryIngest } from "../fakes/sentry";
import { startStripeFake } from "../fakes/stripe/api";
import { stripeMeters, stripePrices } from "../fakes/stripe/prices";
import { startTwilioFake } from "../fakes/twilio/api";
import { placeInboundCall } from "../fakes/twilio-caller";
import { testApiServices } from "../support/api";
import { ownerQuery, seedTenant } from "../support/seed";
import { startStack } from "../support/stack";
import { eventually } from "../support/wait";

const EDGE_SECRET = `edge-origin-${crypto.randomUUID()}`;
let collector: Awaited<ReturnType<typeof startOtlpCollector>>;
let sentry: Awaited<ReturnType<typeof startSentryIngest>>;
let telemetry: ReturnType<typeof startTelemetry>;
let stack: Awaited<ReturnType<typeof startStack>>;
let origin: Server;
const logLines: Record<string, unknown>[] = [];
const ownerUrl = () => inject("ownerUrl");

beforeAll(async () => {
  collector = await startOtlpCollector();
  sentry = await startSentryIngest();
  // This process plays web, relay and jobs at once: tracing starts before any pool is made.
  const destination = new Writable({
    write(chunk, _e, done) {
      logLines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  telemetry = startTelemetry(
    "web",
    { NODE_ENV: "test", LOG_LEVEL: "info", OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, SENTRY_DSN: sentry.dsn },
    { destination },
  );
  origin = createServer();
  await new Promise<void>((r) => origin.listen(0, "127.0.0.1", r));
  const originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
  stack = await startStack({
    appUrl: inject("appUrl"),
    jobs: false,
    bindings: { ORIGIN_URL: originUrl, EDGE_ORIGIN_SECRET: EDGE_SECRET, OTEL_EXPORTER_OTLP_ENDPOINT: collector.url },
  });
  const web = createWebApp({
    production: false,
    api: createApi(testApiServices(telephonyFrom({}, stack.db, stack.pii))),
    edgeSecret: EDGE_SECRET,
    clientIp: () => "127.0.0.1",
    handle: async () => new Response("portal page"),
  });
  origin.on("request", getRequestListener(web.fetch));
});
afterAll(async () => {
  await stack?.stop();
  origin?.close();
  await Promise.all([collector?.stop(), sentry?.stop()]);
});

/** Spans are batched: flush ours, then wait for the edge's (sent after its response). */
async function spansOf(traceId: string, until: (spans: CollectedSpan[]) => boolean) {
  return eventually(
    async () => {
      await telemetry.tracing.flush();
      const spans = collector.trace(traceId);
      return until(spans) && spans;
    },
    15_000,
    `the spans of trace ${traceId}`,
  );
}

describe("one trace from the edge through the relay, the origin and the jobs", () => {
  it("a phone call: the edge's webhook span is the parent of the relay's call span, whose providers, queries and billing job hang under it", async () => {
    const t = await seedTenant(ownerUrl());
    const call = await placeInboundCall({
      edgeUrl: stack.edgeUrl,
      authToken: stack.secrets.TWILIO_AUTH_TOKEN,
      to: t.number,
      from: "+14155550177",
      talkMs: 1200,
    });
    expect(call.agentFrames).toBeGreaterThan(10);
    const [row] = await eventually(
      () =>
        ownerQuery<{ id: string; ended_at: Date | null }>(
          ownerUrl(),
          "select id, ended_at from calls where provider_call_sid = $1",
          [call.callSid],
        ).then((r) => r[0]?.ended_at && r),
      15_000,
      "the call to close",
    );
    const callSpan = await eventually(
      async () => {
        await telemetry.tracing.flush();
        return collector.spans.find((s) => s.name === "call" && s.attributes["bvrai.call_id"] === row!.id);
      },
      15_000,
      "the call's span",
    );
    expect(callSpan).toMatchObject({
      service: "bvrai-web",
      scope: "bvrai.relay",
      attributes: { "bvrai.tenant_id": t.tenantId, "bvrai.transport": "twilio", "bvrai.end_reason": "stream_stopped" },
    });

    const spans = await spansOf(callSpan.traceId, (s) => s.some((x) => x.scope === "bvrai.edge"));
    const edge = spans.find((s) => s.scope === "bvrai.edge")!;
    expect(edge).toMatchObject({
      service: "bvrai-edge",
      name: "POST /twilio/voice",
      attributes: { "http.response.status_code": 200 },
    });
    expect(callSpan.parentSpanId).toBe(edge.spanId);
    const children = spans.filter((s) => s.parentSpanId === callSpan.spanId);
    expect(children.filter((s) => s.scope === "bvrai.relay").map((s) => s.name)).toEqual(
      expect.arrayContaining(["stt", "tts"]),
    );
    expect(children.find((s) => s.name === "tts")!.attributes).toMatchObject({
      "bvrai.vendor": "sandbox",
      "bvrai.first_result_ms": expect.any(Number),
    });
    // The call's record: turns, events and the close, each a query in the trace, no parameters in it.
    const queries = children.filter((s) => s.scope === "bvrai.db");
    expect(queries.length).toBeGreaterThan(3);
    expect(queries.some((q) => String(q.attributes["db.query.text"]).includes('update "calls"'))).toBe(true);
    expect(JSON.stringify(queries)).not.toContain("+14155550177");

    // The billing job carries the trace; the worker continues it.
    const [job] = await ownerQuery<{
      id: string;
      name: string;
      data: { traceparent?: string; tenantId: string; callId: string };
    }>(ownerUrl(), "select id, name, data from pgboss.job where name = 'call.ended' and data->>'callId' = $1", [
      row!.id,
    ]);
    expect(job!.data.traceparent).toMatch(new RegExp(`^00-${callSpan.traceId}-${callSpan.spanId}-01$`));
    await observeJob(
      "call.ended",
      job as unknown as PgBoss.Job<NonNullable<typeof job>["data"]>,
      async () => "handled",
    );
    const after = await spansOf(callSpan.traceId, (s) => s.some((x) => x.scope === "bvrai.jobs"));
    expect(after.find((s) => s.scope === "bvrai.jobs")).toMatchObject({
      name: "job call.ended",
      parentSpanId: callSpan.spanId,
      attributes: { "bvrai.job_id": job!.id },
    });
  });

  it("an API request: the origin continues the caller's trace under the edge's span, with its queries, and logs its ids without the key", async () => {
    const t = await seedTenant(ownerUrl());
    const { key } = await createApiKey(stack.db, {
      tenantId: t.tenantId,
      name: "trace",
      scopes: ["agents:read"],
      actor: { userId: null, ip: null },
    });
    const traceId = crypto.randomUUID().replace(/-/g, "");
    const res = await fetch(new URL("/api/v1/agents", stack.edgeUrl), {
      headers: { authorization: `Bearer ${key}`, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(res.status).toBe(200);
    const requestId = res.headers.get("x-request-id");
    const spans = await spansOf(
      traceId,
      (s) => s.some((x) => x.scope === "bvrai.edge") && s.some((x) => x.scope === "bvrai.web"),
    );
    const edge = spans.find((s) => s.scope === "bvrai.edge")!;
    const web = spans.find((s) => s.scope === "bvrai.web")!;
    expect(edge).toMatchObject({
      name: "GET /api",
      parentSpanId: "00f067aa0ba902b7",
      attributes: { "bvrai.request_id": requestId },
    });
    expect(web).toMatchObject({
      name: "GET api",
      parentSpanId: edge.spanId,
      attributes: { "http.response.status_code": 200, "bvrai.request_id": requestId },
    });
    expect(spans.filter((s) => s.scope === "bvrai.db" && s.parentSpanId === web.spanId).length).toBeGreaterThan(0);

    const line = logLines.find((l) => l.msg === "request" && l.requestId === requestId);
    expect(line).toMatchObject({
      level: "info",
      service: "web",
      path: "/api/v1/agents",
      status: 200,
      tenantId: t.tenantId,
      traceId,
      spanId: web.spanId,
    });
    expect(JSON.stringify(logLines)).not.toContain(key);
  });
});

describe("a portal page whose path is a secret (an invitation link)", () => {
  it("is traced and logged, by the edge and the origin, with its token cut out", async () => {
    const token = `inv${crypto.randomUUID().replace(/-/g, "")}`;
    const traceId = crypto.randomUUID().replace(/-/g, "");
    const res = await fetch(new URL(`/invite/${token}`, stack.edgeUrl), {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(res.status).toBe(200);
    const requestId = res.headers.get("x-request-id");
    const spans = await spansOf(
      traceId,
      (s) => s.some((x) => x.scope === "bvrai.edge") && s.some((x) => x.scope === "bvrai.web"),
    );
    expect(spans.find((s) => s.scope === "bvrai.edge")!.attributes["url.path"]).toBe("/invite/[redacted]");
    expect(spans.find((s) => s.scope === "bvrai.web")!.attributes["url.path"]).toBe("/invite/[redacted]");
    expect(logLines.find((l) => l.msg === "request" && l.requestId === requestId)).toMatchObject({
      path: "/invite/[redacted]",
    });
    expect(JSON.stringify([spans, logLines])).not.toContain(token);
  });
});

describe("Twilio and Stripe requests", () => {
  it("are spans under the work that made them, with their status and no SIDs in their names", async () => {
    const accountSid = `AC${"7".repeat(32)}`;
    const authToken = `tw-${crypto.randomUUID()}`;
    const twilioFake = await startTwilioFake({ accountSid, authToken });
    const stripeKey = `sk_test_${crypto.randomUUID().replace(/-/g, "")}`;
    const stripeFake = await startStripeFake({
      secretKey: stripeKey,
      webhookSecret: "whsec_x",
      prices: stripePrices,
      meters: stripeMeters,
    });
    try {
      let traceId = "";
      await traced("test", "work", {}, async (span) => {
        traceId = span.spanContext().traceId;
        await twilioClient({ accountSid, authToken, apiUrl: twilioFake.url }).incomingPhoneNumbers.list();
        await stripeClient({
          STRIPE_SECRET_KEY: stripeKey,
          STRIPE_API_URL: `http://127.0.0.1:${stripeFake.port}`,
        })!.customers.create({ email: "ops@example.com" });
      });
      const spans = await spansOf(traceId, (s) => s.length >= 3);
      const work = spans.find((s) => s.name === "work")!;
      expect(spans.find((s) => s.scope === "bvrai.twilio")).toMatchObject({
        name: `twilio GET /2010-04-01/Accounts/AC…/IncomingPhoneNumbers.json`,
        parentSpanId: work.spanId,
        attributes: { "http.response.status_code": 200 },
      });
      expect(spans.find((s) => s.scope === "bvrai.stripe")).toMatchObject({
        name: "stripe POST /v1/customers",
        parentSpanId: work.spanId,
        attributes: { "http.response.status_code": 200 },
      });
    } finally {
      await Promise.all([twilioFake.stop(), stripeFake.stop()]);
    }
  });
});

describe("errors, metrics, health and readiness", () => {
  it("a failing job reaches Sentry with its ids and without the secrets in its message", async () => {
    const job = {
      id: crypto.randomUUID(),
      name: "call.ended",
      data: { tenantId: crypto.randomUUID(), callId: crypto.randomUUID() },
    };
    await expect(
      observeJob("call.ended", job as unknown as PgBoss.Job<typeof job.data>, async () => {
        throw new Error(`Stripe refused ${["sk", "live", "51Hsecretsecret"].join("_")} for caller +14155550188`);
      }),
    ).rejects.toThrow("Stripe refused");
    await flushSentry();
    const event = await eventually(
      async () => sentry.events.find((e) => e.tags?.jobId === job.id),
      10_000,
      "the Sentry event",
    );
    expect(event.tags).toMatchObject({ queue: "call.ended", tenantId: job.data.tenantId });
    expect(event.exception?.values?.[0]?.value).toBe("Stripe refused sk_[redacted] for caller [phone]");
    expect(JSON.stringify(event)).not.toMatch(/secretsecret|4155550188/);
  });

  it("the ops port: alive, ready while the database answers (and says which dependency fails when not), and the platform's metrics", async () => {
    const ops = await startOpsServer({
      port: 0,
      host: "127.0.0.1",
      service: "relay",
      checks: { database: () => stack.db.$pool.query("select 1") },
    });
    const down = createNodeDb("postgres://bvrai_app@127.0.0.1:1/none", { max: 1 });
    const broken = await startOpsServer({
      port: 0,
      host: "127.0.0.1",
      service: "jobs",
      checks: { database: () => down.$pool.query("select 1") },
    });
    const at = (server: Server, path: string) =>
      fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
    try {
      expect(await (await at(ops, "/health")).json()).toEqual({ status: "ok", service: "relay" });
      const ready = await at(ops, "/ready");
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: "ready", service: "relay", checks: { database: "ok" } });
      const notReady = await at(broken, "/ready");
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toMatchObject({
        status: "not_ready",
        checks: { database: expect.stringMatching(/^failing: .*ECONNREFUSED/) },
      });
      expect((await at(broken, "/health")).status).toBe(200);

      await measureQueues(stack.db);
      const text = await (await at(ops, "/metrics")).text();
      const value = (series: string) =>
        Number(new RegExp(`^${series.replace(/[{}"+]/g, "\\$&")} (\\S+)$`, "m").exec(text)?.[1] ?? Number.NaN);
      // The call above: frames both ways, one inbound frame in 16 timed, the providers timed, the call gone.
      expect(value('bvrai_media_frames_total{direction="in"}')).toBeGreaterThan(32);
      expect(value('bvrai_media_frames_total{direction="out"}')).toBeGreaterThan(10);
      expect(value("bvrai_frame_latency_seconds_count")).toBeGreaterThanOrEqual(1);
      expect(value('bvrai_provider_latency_seconds_count{provider="tts",vendor="sandbox"}')).toBeGreaterThanOrEqual(1);
      expect(value('bvrai_active_calls{transport="twilio"}')).toBe(0);
      expect(value('bvrai_calls_ended_total{reason="stream_stopped"}')).toBeGreaterThanOrEqual(1);
      expect(value('bvrai_http_requests_total{route="api",status="2xx"}')).toBeGreaterThanOrEqual(1);
      expect(value('bvrai_jobs_handled_total{queue="call.ended",outcome="failed"}')).toBe(1);
      expect(value('bvrai_job_queue_depth{queue="call.ended",state="created"}')).toBeGreaterThanOrEqual(0);
      expect(text).toMatch(/^bvrai_job_queue_oldest_seconds\{queue="webhook.deliver"\} /m);
      expect(text).toMatch(/^bvrai_process_resident_memory_bytes /m);
    } finally {
      ops.close();
      broken.close();
      await down.$pool.end();
    }
  });
});
