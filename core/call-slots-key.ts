/**
 * Where a tenant's live calls are counted in Redis: a sorted set of call ids scored by their
 * lease's expiry (media-relay/call-slots). The relay holds the leases; the edge only reads them.
 */
export const callSlotsKey = (tenantId: string) => `bvrai:calls:${tenantId}`;
