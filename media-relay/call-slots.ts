import { Redis } from "@upstash/redis";
import { callSlotsKey } from "../core/call-slots-key";
import { rateLimitDecisions } from "../core/telemetry/metrics";

/**
 * How many calls a tenant may have live at once, counted across every relay in Redis. Each call
 * holds a lease (a sorted-set member scored by its expiry) that its relay renews; if the relay
 * dies, the lease lapses and the slot frees itself. Without Redis (development) it counts in
 * this process. If Redis fails, the call goes ahead: dropping a caller is worse than a breach.
 */
const ACQUIRE = `
local key, now, ttl, limit, id = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
if not redis.call('ZSCORE', key, id) and redis.call('ZCARD', key) >= limit then return 0 end
redis.call('ZADD', key, now + ttl, id)
redis.call('PEXPIRE', key, ttl)
return 1`;

/** The relay's Upstash client: a call waits on it before it is answered, so half a second and no retries. */
export const callSlotsRedis = (url: string, token: string) =>
  new Redis({ url, token, retry: false, signal: () => AbortSignal.timeout(500) });

export type CallSlots = {
  /** `limit`: the tenant's plan's concurrent calls; the relay's own cap applies when it is lower. */
  acquire(tenantId: string, callId: string, limit?: number): Promise<boolean>;
  release(tenantId: string, callId: string): Promise<void>;
};

export function callSlots(
  redis: Redis | null,
  opts: { limit: number; leaseMs?: number; log?: (f: Record<string, unknown>) => void },
): CallSlots {
  const leaseMs = opts.leaseMs ?? 60_000;
  const renewals = new Map<string, ReturnType<typeof setInterval>>();
  const local = new Map<string, Set<string>>();
  const key = callSlotsKey;
  const take = async (tenantId: string, callId: string, max: number) => {
    if (!redis) {
      const held = local.get(tenantId) ?? new Set<string>();
      local.set(tenantId, held);
      if (!held.has(callId) && held.size >= max) return false;
      held.add(callId);
      return true;
    }
    try {
      const answer = await redis.eval(ACQUIRE, [key(tenantId)], [Date.now(), leaseMs, max, callId]);
      // A timed-out request comes back as its abort reason, not as an error.
      if (answer !== 0 && answer !== 1) throw new Error("Redis did not answer in time");
      rateLimitDecisions.inc({ limiter: "call_slots", decision: answer === 1 ? "allowed" : "refused" });
      return answer === 1;
    } catch (err) {
      rateLimitDecisions.inc({ limiter: "call_slots", decision: "unavailable" });
      opts.log?.({ level: "warn", msg: "call slots unavailable, allowing the call", err: String(err) });
      return true;
    }
  };
  return {
    async acquire(tenantId, callId, limit) {
      const max = Math.min(opts.limit, limit ?? opts.limit);
      if (!(await take(tenantId, callId, max))) return false;
      if (redis) {
        // Renewing never refuses: a live call keeps its slot even if the limit has since gone down.
        const timer = setInterval(() => void take(tenantId, callId, Number.MAX_SAFE_INTEGER), leaseMs / 3);
        timer.unref();
        renewals.set(callId, timer);
      }
      return true;
    },
    async release(tenantId, callId) {
      clearInterval(renewals.get(callId));
      renewals.delete(callId);
      local.get(tenantId)?.delete(callId);
      if (redis) await redis.zrem(key(tenantId), callId).catch(() => undefined);
    },
  };
}
