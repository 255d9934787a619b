import { Redis } from "@upstash/redis/cloudflare";
import { callSlotsKey } from "../core/call-slots-key";
import type { EdgeConfig } from "../core/config";

/**
 * Whether the tenant already has as many live calls as its plan allows, read from the relay's
 * leases (only unexpired ones count). Unknown (no Redis, or Redis failing) counts as room: the
 * relay checks again on answer, and dropping a caller is worse than a brief breach.
 */
export async function atCallLimit(config: EdgeConfig, tenantId: string, limit: number) {
  const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token, RATE_LIMIT_TIMEOUT_MS: timeoutMs } = config;
  if (!url || !token) return false;
  try {
    // A caller is ringing: Redis gets the limiter's deadline and no retries (a timed-out answer is not a number).
    const live = await new Redis({ url, token, retry: false, signal: () => AbortSignal.timeout(timeoutMs) }).zcount(
      callSlotsKey(tenantId),
      Date.now(),
      "+inf",
    );
    return typeof live === "number" && live >= limit;
  } catch {
    return false;
  }
}
