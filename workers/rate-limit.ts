import { Redis } from "@upstash/redis/cloudflare";
import type { EdgeConfig } from "../core/config";
import { type Limiter, memoryLimiter, upstashLimiter } from "../core/rate-limit";

export type { Limiter } from "../core/rate-limit";

// Built once per isolate, not per request: Ratelimit's ephemeral cache only helps if it lives on.
const cache = new Map<string, Limiter>();

export function twilioLimiter(config: EdgeConfig): Limiter {
  const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token, RATE_LIMIT_TWILIO_PER_MINUTE: max } = config;
  const key = `${url ?? "memory"}|${max}`;
  let limiter = cache.get(key);
  if (!limiter) {
    const rule = { max, windowSeconds: 60, prefix: "bvrai:rl:twilio", onFailure: "open" as const };
    // Fail open on purpose: a slow Redis must not drop real callers (docs/decisions/0004).
    limiter = url && token ? upstashLimiter(new Redis({ url, token }), rule) : memoryLimiter(rule);
    cache.set(key, limiter);
  }
  return limiter;
}
