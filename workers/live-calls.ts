import { Redis } from "@upstash/redis/cloudflare";
import { callSlotsKey } from "../core/call-slots-key";
import type { EdgeConfig } from "../core/config";

/**
 * Whether the tenant already has as many live calls as its plan allows, read from the relay's
 * leases (only unexpired ones count). Unknown (no Redis, or Redis failing) counts as room: the
 * relay checks again on answer, and dropping a caller is worse than a brief breach.
 */
export async function atCallLimit(config: EdgeConfig, tenantId: string, limit: number) {
  const { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token } = config;
  if (!url || !token) return false;
  try {
    const live = await new Redis({ url, token }).zcount(callSlotsKey(tenantId), Date.now(), "+inf");
    return live >= limit;
  } catch {
    return false;
  }
}
