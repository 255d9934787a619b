import { Redis } from "@upstash/redis/cloudflare";
import type { Context } from "hono";
import type { EdgeConfig } from "../core/config";
import {
  type Limiter,
  type LimitResult,
  memoryLimiter,
  type OnFailure,
  retryAfterSeconds,
  upstashLimiter,
} from "../core/rate-limit";
import { memoryWindows, rateLimitHeaders, upstashWindows, type WindowLimiter } from "../core/rate-limit-windows";
import { errorResponse } from "./errors";

export type { Limiter } from "../core/rate-limit";

// Built once per isolate, not per request: Ratelimit's ephemeral cache only helps if it lives on.
const cache = new Map<string, Limiter>();

function cached(
  config: EdgeConfig,
  rule: { max: number; windowSeconds: number; prefix: string; onFailure: "open" | "closed" },
) {
  const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token } = config;
  const key = `${url ?? "memory"}|${rule.prefix}|${rule.max}|${rule.windowSeconds}`;
  let limiter = cache.get(key);
  if (!limiter) {
    limiter = url && token ? upstashLimiter(new Redis({ url, token }), rule) : memoryLimiter(rule);
    cache.set(key, limiter);
  }
  return limiter;
}

/**
 * Widget sessions cost real call time, so these fail closed: with Redis down a visitor is told to
 * try again, rather than anyone being able to start unlimited calls (docs/decisions/0010).
 */
export const widgetLimiters = (config: EdgeConfig) => ({
  perKey: cached(config, {
    max: config.RATE_LIMIT_WIDGET_PER_KEY_PER_MINUTE,
    windowSeconds: 60,
    prefix: "bvrai:rl:widget-key",
    onFailure: "closed",
  }),
  perIp: cached(config, {
    max: config.RATE_LIMIT_WIDGET_PER_IP_PER_MINUTE,
    windowSeconds: 60,
    prefix: "bvrai:rl:widget-ip",
    onFailure: "closed",
  }),
  /** The widget's own "calls per visitor per hour", a visitor being an IP address. */
  perVisitor: (max: number) =>
    cached(config, { max, windowSeconds: 3600, prefix: "bvrai:rl:widget-visitor", onFailure: "closed" }),
});

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

const windowsCache = new Map<string, WindowLimiter>();
/**
 * The front door's classes (docs/decisions/0017), each with its outage policy: the API and the
 * portal's pages fail open (the origin still authenticates, and an outage of Redis must not take
 * the product down); sign-in and codes fail closed (guessing must never get through).
 */
export function frontDoorLimiter(config: EdgeConfig, onFailure: OnFailure): WindowLimiter {
  const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token, RATE_LIMIT_TIMEOUT_MS: timeoutMs } = config;
  const key = `${url ?? "memory"}|${onFailure}|${timeoutMs}`;
  let limiter = windowsCache.get(key);
  if (!limiter) {
    limiter =
      url && token
        ? upstashWindows(new Redis({ url, token, retry: false }), { prefix: "bvrai:rl:door", onFailure, timeoutMs })
        : memoryWindows();
    windowsCache.set(key, limiter);
  }
  return limiter;
}

/** A 429 in the one error shape, with the IETF RateLimit fields and Retry-After of the limit that refused. */
export function limitedResponse(
  c: Context,
  r: LimitResult,
  policy: { name: string; windowSeconds: number },
  message: string,
) {
  const res = errorResponse(c, "RATE_LIMITED", message);
  const rule = { name: policy.name, max: r.limit, windowSeconds: policy.windowSeconds };
  for (const [k, v] of Object.entries(
    rateLimitHeaders({ success: false, rule, remaining: r.remaining, resetSeconds: retryAfterSeconds(r) }),
  ))
    res.headers.set(k, v);
  return res;
}
