import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { calls } from "../schema";
import { type Db, withMaintenance, withTenant } from "../tenant";

/** The relay's sign of life for the calls of one tenant it still carries. */
export function touchCalls(db: Db, { tenantId, callIds }: { tenantId: string; callIds: string[] }) {
  return withTenant(db, tenantId, (tx) =>
    tx.update(calls).set({ lastSeenAt: sql`now()` }).where(and(eq(calls.tenantId, tenantId), inArray(calls.id, callIds), isNull(calls.endedAt))),
  );
}

/**
 * Answered calls still open whose relay has said nothing for `silentSeconds` (it was killed, or
 * lost its network): each with the last moment it was known to be live. `tenantId` narrows the
 * sweep (tests share a database with calls of their own).
 */
export async function lostCalls(db: Db, { silentSeconds, tenantId }: { silentSeconds: number; tenantId?: string }) {
  // Twilio's own duration, once its status callback has said it, else the relay's last heartbeat.
  const lastSeen = sql<Date>`coalesce(${calls.startedAt} + make_interval(secs => ${calls.providerDurationSeconds}), ${calls.lastSeenAt}, ${calls.startedAt})`;
  return withMaintenance(db, (tx) =>
    tx
      .select({ tenantId: calls.tenantId, callId: calls.id, lastSeen })
      .from(calls)
      .where(and(isNull(calls.endedAt), sql`${lastSeen} < now() - make_interval(secs => ${silentSeconds})`, tenantId ? eq(calls.tenantId, tenantId) : undefined))
      .limit(500),
  );
}

/** Whether a call is still open (its relay has not closed it), as its tenant sees it. */
export async function callIsOpen(db: Db, { tenantId, callId }: { tenantId: string; callId: string }) {
  const [row] = await withTenant(db, tenantId, (tx) => tx.select({ endedAt: calls.endedAt }).from(calls).where(and(eq(calls.id, callId), eq(calls.tenantId, tenantId))));
  return Boolean(row && !row.endedAt);
}
