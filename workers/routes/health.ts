import { Redis } from "@upstash/redis/cloudflare";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
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
  const within = (work: () => Promise<unknown>) =>
    Promise.race([work(), new Promise((_, reject) => setTimeout(() => reject(new Error("no answer in 2000 ms")), 2000))]).then(
      () => "ok",
      (err: Error) => `failing: ${err.message.slice(0, 120)}`,
    );
  const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token, ORIGIN_URL: origin } = config;
  const checks: Record<string, Promise<string>> = { database: within(() => db().execute(sql`select 1`)) };
  if (url && token) checks.redis = within(() => new Redis({ url, token, retry: false, signal: () => AbortSignal.timeout(2000) }).ping().then((r) => { if (r !== "PONG") throw new Error("no PONG"); }));
  if (origin) checks.origin = within(() => fetch(new URL("/health", origin)).then((r) => { if (!r.ok) throw new Error(`status ${r.status}`); }));
  const results = Object.fromEntries(await Promise.all(Object.entries(checks).map(async ([k, v]) => [k, await v] as const)));
  const isReady = Object.values(results).every((r) => r === "ok");
  return c.json({ status: isReady ? "ready" : "not_ready", service: "edge", checks: results, requestId: c.get("requestId") }, isReady ? 200 : 503);
});
