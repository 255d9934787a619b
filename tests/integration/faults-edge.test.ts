import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApi } from "../../app/api/app";
import { createWebApp } from "../../app/server/app";
import { telephonyFrom } from "../../app/telephony/numbers.server";
import { createApiKey } from "../../db/queries/api-keys";
import { placeInboundCall } from "../fakes/twilio-caller";
import { startUpstashRest } from "../fakes/upstash-rest";
import { testApiServices } from "../support/api";
import { startFaultProxy } from "../support/fault-proxy";
import { ownerQuery, seedTenant } from "../support/seed";
import { startStack } from "../support/stack";
import { eventually } from "../support/wait";

/**
 * The edge's two dependencies failing under it: Upstash (its rate limits) and the origin (the
 * portal and the API). Each through a TCP proxy. What must hold: callers and API clients get an
 * answer in bounded time with the one error shape; limits that guard money or guessing fail
 * closed, the others open; a request that timed out is not done twice when retried.
 */
const EDGE_SECRET = `edge-origin-${crypto.randomUUID()}`;
const ORIGIN_TIMEOUT_MS = 1500;
let stack: Awaited<ReturnType<typeof startStack>>;
let upstash: Awaited<ReturnType<typeof startUpstashRest>>;
let toUpstash: Awaited<ReturnType<typeof startFaultProxy>>;
let toOrigin: Awaited<ReturnType<typeof startFaultProxy>>;
let origin: Server;

beforeAll(async () => {
  const token = `up-${crypto.randomUUID()}`;
  upstash = await startUpstashRest({ redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", token });
  toUpstash = await startFaultProxy({ port: Number(new URL(upstash.url).port) });
  origin = createServer();
  await new Promise<void>((r) => origin.listen(0, "127.0.0.1", r));
  toOrigin = await startFaultProxy({ port: (origin.address() as AddressInfo).port });
  stack = await startStack({
    appUrl: inject("appUrl"),
    bindings: {
      ORIGIN_URL: `http://127.0.0.1:${toOrigin.port}`,
      EDGE_ORIGIN_SECRET: EDGE_SECRET,
      ORIGIN_TIMEOUT_MS: String(ORIGIN_TIMEOUT_MS),
      UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${toUpstash.port}`,
      UPSTASH_REDIS_REST_TOKEN: token,
      RATE_LIMIT_AUTH_PER_ACCOUNT_PER_MINUTE: "3",
    },
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
  await Promise.all([toUpstash?.stop(), toOrigin?.stop()]);
  await upstash?.stop();
  origin?.close();
});

const apiKey = async () => {
  const t = await seedTenant(inject("ownerUrl"));
  const { key } = await createApiKey(stack.db, {
    tenantId: t.tenantId,
    name: "faults",
    scopes: ["agents:read", "agents:write"],
    actor: { userId: null, ip: null },
  });
  return { t, key };
};
const login = (email: string) =>
  fetch(new URL("/login", stack.edgeUrl), { method: "POST", body: new URLSearchParams({ email, password: "wrong" }) });

describe("Upstash unreachable (a blackhole: connections open, no answers)", () => {
  it("phone calls are still answered and the API and pages stay up (fail open); sign-in fails closed; once it is back limits count again, no restart", async () => {
    const { t, key } = await apiKey();
    const ready = () => fetch(new URL("/ready", stack.edgeUrl));
    expect(await (await ready()).json()).toMatchObject({
      status: "ready",
      checks: { database: "ok", redis: "ok", origin: "ok" },
    });
    toUpstash.blackhole();
    try {
      const notReady = await ready();
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toMatchObject({
        status: "not_ready",
        checks: { database: "ok", redis: expect.stringMatching(/^failing/), origin: "ok" },
      });
      const call = await placeInboundCall({
        edgeUrl: stack.edgeUrl,
        authToken: stack.secrets.TWILIO_AUTH_TOKEN,
        to: t.number,
        from: "+14155550181",
        talkMs: 500,
      });
      expect(call.twimlStatus).toBe(200);
      expect(call.agentFrames).toBeGreaterThan(10);
      expect(
        (await fetch(new URL("/api/v1/agents", stack.edgeUrl), { headers: { authorization: `Bearer ${key}` } })).status,
      ).toBe(200);
      expect((await fetch(new URL("/calls", stack.edgeUrl))).status).toBe(200);
      const closed = await login(`outage-${crypto.randomUUID()}@example.com`);
      expect(closed.status).toBe(503);
      expect(closed.headers.get("retry-after")).toBeTruthy();
      expect(await closed.json()).toMatchObject({
        error: { code: "SERVICE_UNAVAILABLE", requestId: expect.any(String) },
      });
    } finally {
      toUpstash.pass();
    }
    const email = `back-${crypto.randomUUID()}@example.com`;
    const statuses = await eventually(
      async () => {
        const s = [];
        for (let i = 0; i < 4; i++) s.push((await login(email)).status);
        return s.at(-1) === 429 && s;
      },
      15_000,
      "sign-in limits to count again",
    );
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});

describe("the origin slow, down or silent", () => {
  it("slower than the edge's deadline: 504 with a request id, in bounded time; a timed-out POST retried with its Idempotency-Key is not done twice", async () => {
    const { t, key } = await apiKey();
    toOrigin.latency(ORIGIN_TIMEOUT_MS + 1000, { responsesOnly: true });
    const idempotencyKey = crypto.randomUUID();
    const post = () =>
      fetch(new URL("/api/v1/agents", stack.edgeUrl), {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          "idempotency-key": idempotencyKey,
        },
        body: JSON.stringify({ name: "Slow agent", systemPrompt: "Be brief.", firstMessage: "Hi." }),
      });
    try {
      const started = Date.now();
      const slow = await post();
      expect(Date.now() - started).toBeLessThan(ORIGIN_TIMEOUT_MS + 900);
      expect(slow.status).toBe(504);
      expect(await slow.json()).toMatchObject({
        error: { code: "GATEWAY_TIMEOUT", requestId: slow.headers.get("x-request-id") },
      });
      // The origin got the request all the same, and did it.
      await eventually(
        () =>
          ownerQuery(inject("ownerUrl"), "select id from agents where tenant_id = $1 and name = 'Slow agent'", [
            t.tenantId,
          ]).then((r) => r.length === 1),
        10_000,
        "the slow request to land",
      );
    } finally {
      toOrigin.pass();
    }
    const retried = await eventually(
      async () => {
        const res = await post();
        return res.status !== 409 && res;
      },
      10_000,
      "the first request to finish",
    );
    expect(retried.status).toBe(201);
    expect(retried.headers.get("idempotent-replayed")).toBe("true");
    expect(
      await ownerQuery(inject("ownerUrl"), "select id from agents where tenant_id = $1 and name = 'Slow agent'", [
        t.tenantId,
      ]),
    ).toHaveLength(1);
  });

  it("down (connections reset): 503; silent (a blackhole): 504; back: 200, no restart", async () => {
    const { key } = await apiKey();
    const get = () => fetch(new URL("/api/v1/agents", stack.edgeUrl), { headers: { authorization: `Bearer ${key}` } });
    toOrigin.down();
    const down = await get();
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ error: { code: "SERVICE_UNAVAILABLE", requestId: expect.any(String) } });
    toOrigin.blackhole();
    const silent = await get();
    expect(silent.status).toBe(504);
    toOrigin.pass();
    expect((await get()).status).toBe(200);
  });
});
