import { Redis as UpstashRedis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPiiCipher, generatePiiKey } from "../../core/crypto/pii";
import { signStreamToken } from "../../core/stream-token";
import { registry } from "../../core/telemetry/metrics";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { routeInboundCall } from "../../db/queries/inbound-calls";
import { callSlots, callSlotsRedis } from "../../media-relay/call-slots";
import { openMediaStream } from "../fakes/twilio-media-stream";
import { startUpstashRest } from "../fakes/upstash-rest";
import { startFaultProxy } from "../support/fault-proxy";
import { listenRelay } from "../support/relay";
import { ownerQuery, seedTenant } from "../support/seed";
import { eventually } from "../support/wait";

const tokenSecret = `st-${crypto.randomUUID()}`;
const authToken = `tw-${crypto.randomUUID()}`;
const upstashToken = `up-${crypto.randomUUID()}`;
let db: NodeDb;
let upstash: Awaited<ReturnType<typeof startUpstashRest>>;
let redis: UpstashRedis;
let relay: Awaited<ReturnType<typeof listenRelay>>;
let url: string;

beforeAll(async () => {
  db = createNodeDb(inject("appUrl"), { max: 5 });
  upstash = await startUpstashRest({
    redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    token: upstashToken,
  });
  redis = new UpstashRedis({ url: upstash.url, token: upstashToken });
  relay = await listenRelay({
    db,
    tokenSecret,
    twilioAuthToken: authToken,
    slots: callSlots(redis, { limit: 1, leaseMs: 3000 }),
  });
  url = relay.url;
});
afterAll(async () => {
  await relay.stop();
  await upstash.stop();
  await db.$pool.end();
});

async function call(t: { number: string }) {
  const r = await routeInboundCall(db, createPiiCipher({ keys: generatePiiKey("s"), blindIndexKey: "x" }), {
    to: t.number,
    from: "+14155550188",
    providerCallSid: `CA${crypto.randomUUID().replace(/-/g, "")}`,
    signer: "platform",
  });
  if (r.kind !== "connect") throw new Error(r.kind);
  return {
    ...r,
    token: await signStreamToken(tokenSecret, { callId: r.callId, tenantId: r.tenantId, agentId: r.agentId }, 60),
  };
}
const endReason = async (callId: string) =>
  (
    await ownerQuery<{ end_reason: string | null }>(inject("ownerUrl"), "select end_reason from calls where id = $1", [
      callId,
    ])
  )[0]!.end_reason;

describe("the per-tenant concurrent-call limit (Redis, across relays)", () => {
  it("turns away a call over the limit with a spoken line, and frees the slot when a call ends", async () => {
    const t = await seedTenant(inject("ownerUrl"));
    const first = await call(t);
    const a = await openMediaStream(url, { token: first.token }, authToken);
    await a.waitFor("the greeting", () => a.marks().includes("turn-0"));

    const second = await call(t);
    const b = await openMediaStream(url, { token: second.token }, authToken);
    await b.waitFor("the busy line and hang-up", () => b.closed() !== null);
    expect(b.marks()).toContain("turn-0");
    expect(await endReason(second.callId)).toBe("concurrency_limit");

    // Another tenant is not affected.
    const other = await call(await seedTenant(inject("ownerUrl")));
    const c = await openMediaStream(url, { token: other.token }, authToken);
    await c.waitFor("the greeting", () => c.marks().includes("turn-0"));
    await c.hangUp();

    await a.hangUp();
    await eventually(
      async () => (await endReason(first.callId)) === "stream_stopped",
      10_000,
      "the first call to close",
    );
    const third = await call(t);
    const d = await openMediaStream(url, { token: third.token }, authToken);
    await d.waitFor("the greeting", () => d.marks().includes("turn-0"));
    await d.hangUp();
    expect(d.closed()).not.toBe(1008);
  });

  it("lets a slot lapse when the relay holding it stops renewing (it died)", async () => {
    const tenantId = crypto.randomUUID();
    const slots = callSlots(redis, { limit: 1, leaseMs: 3000 });
    await redis.zadd(`bvrai:calls:${tenantId}`, { score: Date.now() - 1, member: "call-of-a-dead-relay" });
    expect(await slots.acquire(tenantId, "new-call")).toBe(true);
    expect(await slots.acquire(tenantId, "another")).toBe(false);
    await slots.release(tenantId, "new-call");
    expect(await slots.acquire(tenantId, "another")).toBe(true);
    await slots.release(tenantId, "another");
  });

  it("holds each tenant to its plan's limit, under the relay's own cap", async () => {
    const tenantId = crypto.randomUUID();
    const slots = callSlots(redis, { limit: 3 });
    expect(await slots.acquire(tenantId, "a", 2)).toBe(true);
    expect(await slots.acquire(tenantId, "b", 2)).toBe(true);
    expect(await slots.acquire(tenantId, "c", 2)).toBe(false); // the plan allows 2
    expect(await slots.acquire(tenantId, "c", 50)).toBe(true);
    expect(await slots.acquire(tenantId, "d", 50)).toBe(false); // the relay's cap is 3
    for (const id of ["a", "b", "c"]) await slots.release(tenantId, id);
  });
});

describe("the relay's call slots with Upstash silent", () => {
  it("answer within the half-second deadline and let the call go ahead, counted as unavailable", async () => {
    const proxy = await startFaultProxy({ port: Number(new URL(upstash.url).port) });
    const slots = callSlots(callSlotsRedis(`http://127.0.0.1:${proxy.port}`, upstashToken), { limit: 1 });
    const unavailable = async () =>
      (await registry.getSingleMetric("bvrai_rate_limit_decisions_total")!.get()).values.find(
        (v) => v.labels.limiter === "call_slots" && v.labels.decision === "unavailable",
      )?.value ?? 0;
    try {
      const tenantId = crypto.randomUUID();
      expect(await slots.acquire(tenantId, crypto.randomUUID())).toBe(true);
      expect(await slots.acquire(tenantId, crypto.randomUUID())).toBe(false); // the limit holds while Upstash answers
      const before = await unavailable();
      proxy.blackhole();
      const started = Date.now();
      expect(await slots.acquire(tenantId, crypto.randomUUID())).toBe(true);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(await unavailable()).toBe(before + 1);
    } finally {
      await proxy.stop();
    }
  });
});
