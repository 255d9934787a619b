import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis/cloudflare";
import type { EdgeConfig } from "../core/config";

export type LimitResult = { success: boolean; limit: number; remaining: number; reset: number };
export type Limiter = { limit(key: string): Promise<LimitResult>; kind: "upstash" | "memory" };

/** Fixed one-minute windows in this isolate's memory: for local use with no Redis configured. */
function memoryLimiter(perMinute: number): Limiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    kind: "memory",
    async limit(key) {
      const now = Date.now();
      const start = now - (now % 60_000);
      const w = windows.get(key);
      const current = w && w.start === start ? w : { start, count: 0 };
      current.count++;
      windows.set(key, current);
      if (windows.size > 10_000) windows.clear();
      return { success: current.count <= perMinute, limit: perMinute, remaining: Math.max(0, perMinute - current.count), reset: start + 60_000 };
    },
  };
}

// Built once per isolate, not per request: Ratelimit's ephemeral cache only helps if it lives on.
const cache = new Map<string, Limiter>();

export function twilioLimiter(config: EdgeConfig): Limiter {
  const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token, RATE_LIMIT_TWILIO_PER_MINUTE: n } = config;
  const key = `${url ?? "memory"}|${n}`;
  let limiter = cache.get(key);
  if (!limiter) {
    if (url && token) {
      const rl = new Ratelimit({
        redis: new Redis({ url, token }),
        limiter: Ratelimit.slidingWindow(n, "60 s"),
        prefix: "bvrai:rl:twilio",
        ephemeralCache: new Map(),
        // Fail open on purpose: a slow Redis must not drop real callers (docs/decisions/0004).
        timeout: 1000,
      });
      limiter = { kind: "upstash", limit: (k) => rl.limit(k) };
    } else {
      limiter = memoryLimiter(n);
    }
    cache.set(key, limiter);
  }
  return limiter;
}
