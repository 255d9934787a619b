import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApi } from "../../app/api/app";
import { createWebApp } from "../../app/server/app";
import { telephonyFrom } from "../../app/telephony/numbers.server";
import { traceIdOf } from "../../core/edge/traceparent";
import { createApiKey } from "../../db/queries/api-keys";
import { testApiServices } from "../support/api";
import { seedTenant } from "../support/seed";
import { startStack } from "../support/stack";

const EDGE_SECRET = `edge-origin-${crypto.randomUUID()}`;
let stack: Awaited<ReturnType<typeof startStack>>;
let origin: Server;
let originUrl = "";
/** What the portal's handler saw of each request: its headers. */
const seen: Record<string, string>[] = [];
const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");

beforeAll(async () => {
  const stale = await redis.keys("bvrai:rl:door*");
  if (stale.length) await redis.del(...stale);
  // The real origin: the portal's server (edge check, security headers, the API) with a stand-in for Remix.
  origin = createServer();
  await new Promise<void>((r) => origin.listen(0, "127.0.0.1", r));
  originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
  stack = await startStack({
    appUrl: inject("appUrl"),
    jobs: false,
    bindings: {
      ORIGIN_URL: originUrl,
      EDGE_ORIGIN_SECRET: EDGE_SECRET,
      RATE_LIMIT_AUTH_PER_IP_PER_MINUTE: "1000",
      RATE_LIMIT_AUTH_PER_ACCOUNT_PER_MINUTE: "3",
      RATE_LIMIT_TIMEOUT_MS: "30000",
    },
  });
  const api = createApi(testApiServices(telephonyFrom({}, stack.db, stack.pii)));
  const web = createWebApp({
    production: false,
    api,
    edgeSecret: EDGE_SECRET,
    clientIp: (c) => c.req.header("x-bvrai-client-ip") ?? "unknown",
    handle: async (request) => {
      seen.push(Object.fromEntries(request.headers));
      return new Response("portal page", { headers: { "set-cookie": "bvrai_session=abc; Path=/; HttpOnly" } });
    },
  });
  origin.on("request", getRequestListener(web.fetch));
});
afterAll(async () => {
  await stack?.stop();
  origin?.close();
  await redis.quit();
});

describe("the edge as the front door", () => {
  it("forwards with its signature, the request id and the caller's trace; the origin refuses anything that did not come through it", async () => {
    const incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const res = await fetch(new URL("/calls?page=2", stack.edgeUrl), {
      headers: { traceparent: incoming, "x-bvrai-edge": "t=1,v1=forged", "x-bvrai-client-ip": "6.6.6.6" },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("portal page");
    expect(res.headers.get("set-cookie")).toContain("bvrai_session=abc");
    expect(res.headers.get("ratelimit-policy")).toBe('"portal-ip";q=600;w=60');
    const got = seen.at(-1)!;
    expect(got["x-request-id"]).toBe(res.headers.get("x-request-id"));
    expect(traceIdOf(got.traceparent!)).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(got.traceparent).not.toBe(incoming);
    expect(got["x-bvrai-client-ip"]).not.toBe("6.6.6.6"); // the client cannot choose its address

    const direct = await fetch(new URL("/calls?page=2", originUrl));
    expect(direct.status).toBe(403);
    expect((await direct.json()).error.code).toBe("FORBIDDEN");
    // A captured signature does not open another path, nor the same one a minute later.
    const replayed = await fetch(new URL("/settings/team", originUrl), {
      headers: { "x-bvrai-edge": got["x-bvrai-edge"]!, "x-request-id": got["x-request-id"]! },
    });
    expect(replayed.status).toBe(403);
    expect((await fetch(new URL("/api/v1/agents", originUrl))).status).toBe(403);
    expect((await fetch(new URL("/health", originUrl))).status).toBe(200);
  });

  it("API: 1000 concurrent requests with a key whose limit is 60 a minute admit exactly 60; the rest get 429 with Retry-After", async () => {
    const t = await seedTenant(inject("ownerUrl")); // trial plan: 60 a minute per key
    const { key } = await createApiKey(stack.db, {
      tenantId: t.tenantId,
      name: "burst",
      scopes: ["agents:read"],
      actor: { userId: null, ip: null },
    });
    // One window: a burst across a minute's turn is a sliding window's business (a share more may pass).
    while (Date.now() % 60_000 > 45_000) await new Promise((r) => setTimeout(r, 500));
    const responses = await Promise.all(
      Array.from({ length: 1000 }, () =>
        fetch(new URL("/api/v1/agents", stack.edgeUrl), { headers: { authorization: `Bearer ${key}` } }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(60);
    expect(statuses.filter((s) => s === 429)).toHaveLength(940);
    const refused = responses.find((r) => r.status === 429)!;
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.headers.get("ratelimit-policy")).toBe('"api-key";q=60;w=60');
    expect(refused.headers.get("ratelimit")).toMatch(/^"api-key";r=0;t=\d+$/);
    expect((await refused.json()).error).toMatchObject({
      code: "RATE_LIMITED",
      requestId: refused.headers.get("x-request-id"),
    });
    const admitted = responses.find((r) => r.status === 200)!;
    expect((await admitted.json()).data).toMatchObject([{ id: t.agentId }]);
    await Promise.all(responses.map((r) => (r.bodyUsed ? null : r.body?.cancel())));
  });

  it("sign-in posts are limited per account; with Redis down, they fail closed while pages and the API stay up", async () => {
    const login = (email: string) =>
      fetch(new URL("/login", stack.edgeUrl), {
        method: "POST",
        body: new URLSearchParams({ email, password: "wrong" }),
      });
    const email = `door-${crypto.randomUUID()}@example.com`;
    expect(await Promise.all([1, 2, 3, 4].map(() => login(email).then((r) => r.status)))).toEqual(
      expect.arrayContaining([200, 200, 200, 429]),
    );
    expect((await login(`other-${email}`)).status).toBe(200);

    // An outage (a timeout, decided the same way, is core/rate-limit-windows.test.ts's: here the timeout is long so the burst above never meets it).
    stack.upstash.setDown(true);
    try {
      const closed = await login(`slow-${email}`);
      expect(closed.status).toBe(503);
      expect(closed.headers.get("retry-after")).toBe("30");
      const t = await seedTenant(inject("ownerUrl"));
      const { key } = await createApiKey(stack.db, {
        tenantId: t.tenantId,
        name: "outage",
        scopes: ["agents:read"],
        actor: { userId: null, ip: null },
      });
      expect(
        (await fetch(new URL("/api/v1/agents", stack.edgeUrl), { headers: { authorization: `Bearer ${key}` } })).status,
      ).toBe(200);
      expect((await fetch(new URL("/calls", stack.edgeUrl))).status).toBe(200);
    } finally {
      stack.upstash.setDown(false);
    }
  });
});
