import type { Redis } from "@upstash/redis";
import type { OnFailure } from "./rate-limit";

/** One limit of a class: `max` requests per `windowSeconds`, sliding; `name` is its policy name in headers. */
export type WindowRule = { name: string; max: number; windowSeconds: number };
export type Check = { rule: WindowRule; key: string };
/** The decision and the tightest of the checks, which is what the RateLimit headers describe. */
export type Decision = {
  success: boolean;
  rule: WindowRule;
  remaining: number;
  resetSeconds: number;
  unavailable?: boolean;
};
export type WindowLimiter = { kind: "upstash" | "memory"; check(checks: Check[]): Promise<Decision> };

/**
 * Every check of a request in one EVAL, so the limiter costs one Redis round trip and the checks
 * are atomic: the request is counted in all its windows or in none. Sliding windows as Upstash
 * approximates them: this window's count plus the previous window's, weighted by overlap and
 * rounded up, so a burst at a window's turn is not let through twice.
 * Redis's clock, not the caller's, so isolates with skewed clocks agree.
 */
const script = `
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local used, resets, ok = {}, {}, 1
for i = 1, #KEYS do
  local max, win = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  local cur = math.floor(now / win)
  local c = tonumber(redis.call("GET", KEYS[i] .. ":" .. cur) or "0")
  local p = tonumber(redis.call("GET", KEYS[i] .. ":" .. (cur - 1)) or "0")
  used[i] = c + math.ceil(p * (1 - (now % win) / win))
  resets[i] = (cur + 1) * win - now
  if used[i] >= max then ok = 0 end
end
if ok == 1 then
  for i = 1, #KEYS do
    local win = tonumber(ARGV[2 * i])
    local k = KEYS[i] .. ":" .. math.floor(now / win)
    redis.call("INCR", k)
    redis.call("PEXPIRE", k, 2 * win + 1000)
    used[i] = used[i] + 1
  end
end
local out = { ok }
for i = 1, #KEYS do out[#out + 1] = used[i]; out[#out + 1] = resets[i] end
return out`;

function decide(checks: Check[], ok: boolean, used: number[], resetsMs: number[]): Decision {
  const left = checks.map((c, i) => c.rule.max - used[i]!);
  // Admitted: the check with least room left; refused: the (first) check that is full.
  const tightest = ok
    ? left.indexOf(Math.min(...left))
    : Math.max(
        0,
        left.findIndex((l) => l <= 0),
      );
  const rule = checks[tightest]!.rule;
  return {
    success: ok,
    rule,
    remaining: Math.max(0, left[tightest]!),
    resetSeconds: Math.max(1, Math.ceil(resetsMs[tightest]! / 1000)),
  };
}

/** Upstash (REST) Redis; on an error or after `timeoutMs` the class's `onFailure` decides. */
export function upstashWindows(
  redis: Redis,
  { prefix, onFailure, timeoutMs }: { prefix: string; onFailure: OnFailure; timeoutMs: number },
): WindowLimiter {
  return {
    kind: "upstash",
    async check(checks) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("rate limiter timed out")), timeoutMs);
      });
      try {
        const keys = checks.map((c) => `${prefix}:${c.rule.name}:${c.key}`);
        const args = checks.flatMap((c) => [String(c.rule.max), String(c.rule.windowSeconds * 1000)]);
        const out = (await Promise.race([redis.eval(script, keys, args), late])) as number[];
        return decide(
          checks,
          out[0] === 1,
          checks.map((_, i) => Number(out[1 + 2 * i])),
          checks.map((_, i) => Number(out[2 + 2 * i])),
        );
      } catch {
        const rule = checks[0]!.rule;
        return {
          success: onFailure === "open",
          rule,
          remaining: onFailure === "open" ? rule.max : 0,
          resetSeconds: 30,
          unavailable: true,
        };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** The same windows in this isolate's memory: development without Redis (not shared between isolates). */
export function memoryWindows(): WindowLimiter {
  const counts = new Map<string, number>();
  return {
    kind: "memory",
    async check(checks) {
      const now = Date.now();
      const at = checks.map((c) => {
        const win = c.rule.windowSeconds * 1000;
        const cur = Math.floor(now / win);
        const key = `${c.rule.name}:${c.key}`;
        const used =
          (counts.get(`${key}:${cur}`) ?? 0) +
          Math.ceil((counts.get(`${key}:${cur - 1}`) ?? 0) * (1 - (now % win) / win));
        return { k: `${key}:${cur}`, used, reset: (cur + 1) * win - now };
      });
      const ok = at.every((a, i) => a.used < checks[i]!.rule.max);
      if (ok) for (const a of at) counts.set(a.k, (counts.get(a.k) ?? 0) + 1);
      if (counts.size > 50_000) counts.clear();
      return decide(
        checks,
        ok,
        at.map((a) => a.used + (ok ? 1 : 0)),
        at.map((a) => a.reset),
      );
    },
  };
}

/** IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers): the policy, what is left, and Retry-After when refused. */
export function rateLimitHeaders(d: Decision): Record<string, string> {
  const name = `"${d.rule.name}"`;
  return {
    "RateLimit-Policy": `${name};q=${d.rule.max};w=${d.rule.windowSeconds}`,
    RateLimit: `${name};r=${d.remaining};t=${d.resetSeconds}`,
    ...(d.success ? {} : { "Retry-After": String(d.resetSeconds) }),
  };
}
