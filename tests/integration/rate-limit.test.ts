import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { placeInboundCall } from "../fakes/twilio-caller";
import { startStack } from "../support/stack";

let stack: Awaited<ReturnType<typeof startStack>>;
const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");

beforeAll(async () => {
  const stale = await redis.keys("bvrai:rl:twilio*");
  if (stale.length) await redis.del(...stale);
  stack = await startStack({ appUrl: inject("appUrl"), jobs: false, twilioPerMinute: 3 });
});
afterAll(async () => {
  await stack?.stop();
  await redis.quit();
});

describe("the edge rate limit (Upstash protocol over a real Redis)", () => {
  it("answers 429 with the error shape once a caller exceeds the limit, counting in Redis", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const call = await placeInboundCall({
        edgeUrl: stack.edgeUrl,
        authToken: stack.secrets.TWILIO_AUTH_TOKEN,
        to: "+15550001234",
        from: "+14155550300",
        talkMs: 0,
      });
      statuses.push(call.twimlStatus);
      if (call.twimlStatus === 429) expect(JSON.parse(call.twiml)).toMatchObject({ error: { code: "RATE_LIMITED" } });
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect((await redis.keys("bvrai:rl:twilio*")).length).toBeGreaterThan(0);
  });
});
