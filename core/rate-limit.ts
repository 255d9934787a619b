import { Ratelimit } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis";

export type LimitResult = { success: boolean; limit: number; remaining: number; reset: number; unavailable?: boolean };
export type Limiter = { kind: "upstash" | "memory"; limit(key: string): Promise<LimitResult> };

/**
 * What to do when Redis cannot answer: `open` lets the request through (phone calls must not be
 * dropped), `closed` refuses it (a brute-force attempt must not slip through). docs/decisions/0004.
 */
export type OnFailure = "open" | "closed";
export type LimitRule = { max: number; windowSeconds: number; prefix: string; onFailure: OnFailure };

const FAIL_CLOSED_RETRY_MS = 30_000;

/** Fixed windows in this process's memory: for local use with no Redis configured. */
export function memoryLimiter(rule: Pick<LimitRule, "max" | "windowSeconds">): Limiter {
  const windowMs = rule.windowSeconds * 1000;
  const windows = new Map<string, { start: number; count: number }>();
  return {
    kind: "memory",
    async limit(key) {
      const now = Date.now();
      const start = now - (now % windowMs);
      const w = windows.get(key);
      const current = w && w.start === start ? w : { start, count: 0 };
      current.count++;
      windows.set(key, current);
      if (windows.size > 10_000) windows.clear();
      return {
        success: current.count <= rule.max,
        limit: rule.max,
        remaining: Math.max(0, rule.max - current.count),
        reset: start + windowMs,
      };
    },
  };
}

/** A sliding window in Redis over Upstash's REST protocol; build once per process or isolate. */
export function upstashLimiter(redis: Redis, rule: LimitRule, timeoutMs = 1000): Limiter {
  const rl = new Ratelimit({
    redis,
    limiter: Ratelimit.slidingWindow(rule.max, `${rule.windowSeconds} s`),
    prefix: rule.prefix,
    ephemeralCache: new Map(),
    // Ratelimit's own timeout lets the request through; failing closed needs our own below.
    ...(rule.onFailure === "open" ? { timeout: timeoutMs } : {}),
  });
  if (rule.onFailure === "open") {
    return {
      kind: "upstash",
      limit: (key) =>
        rl
          .limit(key)
          .catch(() => ({ success: true, limit: rule.max, remaining: rule.max, reset: Date.now(), unavailable: true })),
    };
  }
  return {
    kind: "upstash",
    async limit(key) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("rate limiter timed out")), timeoutMs);
      });
      try {
        return await Promise.race([rl.limit(key), timeout]);
      } catch {
        return {
          success: false,
          limit: rule.max,
          remaining: 0,
          reset: Date.now() + FAIL_CLOSED_RETRY_MS,
          unavailable: true,
        };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export const retryAfterSeconds = (result: LimitResult, now = Date.now()) =>
  Math.max(1, Math.ceil((result.reset - now) / 1000));
