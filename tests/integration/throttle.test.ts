import { createServer } from "node:net";
import { Redis as UpstashRedis } from "@upstash/redis";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upstashLimiter } from "../../core/rate-limit";
import { startUpstashRest } from "../fakes/upstash-rest";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const token = `t-${crypto.randomUUID()}`;
let upstash: Awaited<ReturnType<typeof startUpstashRest>>;
const redis = new Redis(redisUrl);
const prefix = `bvrai:rl:test:${crypto.randomUUID()}`;

beforeAll(async () => {
  upstash = await startUpstashRest({ redisUrl, token });
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await upstash.stop();
});

describe("sign-in throttling (Upstash protocol over a real Redis)", () => {
  it("allows the configured attempts per key, then refuses with a retry time, counting in Redis", async () => {
    const limiter = upstashLimiter(new UpstashRedis({ url: upstash.url, token }), {
      max: 3,
      windowSeconds: 900,
      prefix,
      onFailure: "closed",
    });
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await limiter.limit("login:someone@example.com"));
    expect(results.map((r) => r.success)).toEqual([true, true, true, false, false]);
    // Upstash reports the end of the current window: somewhere in the next 15 minutes.
    expect(results[4]!.reset).toBeGreaterThan(Date.now());
    expect(results[4]!.reset).toBeLessThanOrEqual(Date.now() + 900_000);
    expect((await limiter.limit("login:other@example.com")).success).toBe(true);
    expect((await redis.keys(`${prefix}*`)).length).toBeGreaterThan(0);
  });

  it("fails closed when Redis cannot be reached, and open only where asked to", async () => {
    const probe = createServer();
    const port = await new Promise<number>((r) =>
      probe.listen(0, "127.0.0.1", () => r((probe.address() as { port: number }).port)),
    );
    await new Promise((r) => probe.close(r));
    const dead = new UpstashRedis({ url: `http://127.0.0.1:${port}`, token, retry: false });
    const closed = upstashLimiter(dead, { max: 100, windowSeconds: 60, prefix, onFailure: "closed" }, 500);
    const refused = await closed.limit("login:x");
    expect(refused).toMatchObject({ success: false, unavailable: true });
    const open = upstashLimiter(dead, { max: 100, windowSeconds: 60, prefix, onFailure: "open" }, 500);
    expect((await open.limit("twilio:x")).success).toBe(true);
  });

  it("fails closed when Redis answers too slowly", async () => {
    const slow = await startUpstashRest({ redisUrl, token, delayMs: 1500 });
    try {
      const closed = upstashLimiter(
        new UpstashRedis({ url: slow.url, token, retry: false }),
        { max: 100, windowSeconds: 60, prefix, onFailure: "closed" },
        300,
      );
      expect(await closed.limit("login:y")).toMatchObject({ success: false, unavailable: true });
    } finally {
      await slow.stop();
    }
  });
});
