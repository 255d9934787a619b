import { Redis } from "@upstash/redis/cloudflare";
import { sql } from "drizzle-orm";
import { Hono } from "hono/tiny";
import { boundedFetch } from "../../core/net/bounded-fetch";
import { type ReadinessChecks, readiness } from "../../core/telemetry/readiness";
import type { AppEnv } from "../services";

export const health = new Hono<AppEnv>().get("/", (c) =>
  c.json({ status: "ok", service: "edge", requestId: c.get("requestId") }),
);

/**
 * Whether the edge can do its work: the database (Neon), Upstash (rate limits) and the origin
 * each answer within 2 s. 503 names the one that does not; nothing else is said about it.
 */
export const ready = new Hono<AppEnv>().get("/", async (c) => {
  const { config, db } = c.get("services");
  const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token, ORIGIN_URL: origin } = config;
  const checks: ReadinessChecks = { database: () => db().execute(sql`select 1`) };
  if (url && token)
    checks.redis = async () => {
      if ((await new Redis({ url, token, retry: false, signal: () => AbortSignal.timeout(2000) }).ping()) !== "PONG")
        throw new Error("no PONG");
    };
  if (origin)
    checks.origin = async () => {
      const res = await boundedFetch(new URL("/health", origin), {}, { deadlineMs: 2000, maxBytes: 4096 });
      if (res.status < 200 || res.status > 299) throw new Error(`status ${res.status}`);
    };
  const { ready: isReady, body } = await readiness(checks);
  return c.json({ ...body, service: "edge", requestId: c.get("requestId") }, isReady ? 200 : 503);
});
