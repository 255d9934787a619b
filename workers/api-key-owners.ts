import { hashApiKey } from "../core/crypto/api-key";
import { apiKeyOwner } from "../db/queries/api-keys";
import type { Db } from "../db/tenant";

type Owner = Awaited<ReturnType<typeof apiKeyOwner>>;
const TTL_MS = 60_000;
const cache = new Map<string, { owner: Promise<Owner>; until: number }>();

/**
 * A key's tenant and plan for the API's limits, remembered for a minute per isolate (the lookup
 * itself shared by concurrent requests), so a steady client costs the limiter one Redis round trip
 * and no database query. A revoked key may be limited as live for up to that minute; the origin
 * refuses it at once either way.
 */
export function cachedKeyOwner(db: () => Db, presented: string, now = Date.now()): Promise<Owner> {
  const id = hashApiKey(presented);
  const hit = cache.get(id);
  if (hit && hit.until > now) return hit.owner;
  const owner = apiKeyOwner(db(), presented);
  if (cache.size > 10_000) cache.clear();
  cache.set(id, { owner, until: now + TTL_MS });
  owner.catch(() => cache.delete(id));
  return owner;
}
