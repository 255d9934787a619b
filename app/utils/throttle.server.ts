import { rateLimitDecisions } from "../../core/telemetry/metrics";
import { Redis } from "@upstash/redis";
import { type Limiter, type LimitRule, memoryLimiter, retryAfterSeconds, upstashLimiter } from "../../core/rate-limit";
import { env } from "./env.server";

const WINDOW_SECONDS = 15 * 60;
const redis = env.UPSTASH_REDIS_REST_URL && env.UPSTASH_REDIS_REST_TOKEN ? new Redis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN }) : null;

/** Fails closed: if Redis cannot answer, the attempt is refused (docs/decisions/0004). */
function limiter(scope: "account" | "ip", max: number): Limiter {
  const rule: LimitRule = { max, windowSeconds: WINDOW_SECONDS, prefix: `bvrai:rl:auth:${scope}`, onFailure: "closed" };
  return redis ? upstashLimiter(redis, rule) : memoryLimiter(rule);
}
const limiters = { account: limiter("account", env.AUTH_ATTEMPTS_PER_ACCOUNT), ip: limiter("ip", env.AUTH_ATTEMPTS_PER_IP) };

export type Throttled = { message: string; retryAfter: number };

/**
 * Counts one attempt at `action` against the account and the IP; returns why it is refused, or
 * null. Every check is counted even when an earlier one already refuses.
 */
export async function throttle(action: "login" | "signup" | "reset" | "code", keys: { account?: string; ip: string }): Promise<Throttled | null> {
  const checks = [limiters.ip.limit(`${action}:${keys.ip}`)];
  if (keys.account) checks.push(limiters.account.limit(`${action}:${keys.account.toLowerCase()}`));
  const refused = (await Promise.all(checks)).filter((r) => !r.success);
  rateLimitDecisions.inc({ limiter: `auth_${action}`, decision: refused.length ? "refused" : "allowed" });
  if (!refused.length) return null;
  const retryAfter = Math.max(...refused.map((r) => retryAfterSeconds(r)));
  const unavailable = refused.some((r) => r.unavailable);
  return {
    retryAfter,
    message: unavailable
      ? `We cannot check sign-in attempts right now, so we are refusing them for safety. Try again in ${retryAfter} s.`
      : `Too many attempts. Try again in ${retryAfter} s.`,
  };
}

export const throttledHeaders = (t: Throttled) => ({ "Retry-After": String(t.retryAfter) });
