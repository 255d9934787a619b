import { and, eq, inArray, isNull, lt, ne, or, sql } from "drizzle-orm";
import { WEB_RINGING_SECONDS } from "../../core/widget";
import { calls } from "../schema";
import { type Db, withCallSweep, withTenant } from "../tenant";

/** The relay's sign of life for the calls of one tenant it still carries. */
export function touchCalls(db: Db, { tenantId, callIds }: { tenantId: string; callIds: string[] }) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .update(calls)
      .set({ lastSeenAt: sql`now()` })
      .where(and(eq(calls.tenantId, tenantId), inArray(calls.id, callIds), isNull(calls.endedAt))),
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
  return withCallSweep(db, (tx) =>
    tx
      .select({ tenantId: calls.tenantId, callId: calls.id, lastSeen })
      .from(calls)
      .where(
        and(
          isNull(calls.endedAt),
          sql`${lastSeen} < now() - make_interval(secs => ${silentSeconds})`,
          tenantId ? eq(calls.tenantId, tenantId) : undefined,
        ),
      )
      .limit(500),
  );
}

/** Whether a call is still open (its relay has not closed it), as its tenant sees it. */
export async function callIsOpen(db: Db, { tenantId, callId }: { tenantId: string; callId: string }) {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ endedAt: calls.endedAt })
      .from(calls)
      .where(and(eq(calls.id, callId), eq(calls.tenantId, tenantId))),
  );
  return Boolean(row && !row.endedAt);
}

/** When a web call still ringing can no longer connect: its widget token has expired. */
const webRingingSince = sql`now() - make_interval(secs => ${WEB_RINGING_SECONDS})`;

/**
 * The calls that hold one of the tenant's plan's calls-at-once: answered ones, and phone calls
 * ringing (Twilio says how they went). A web call counts once its visitor's socket is open: a
 * session the visitor never opens pins nothing, and the relay checks the plan again on answer.
 */
export const holdsPlanLine = () =>
  or(eq(calls.status, "in_progress"), and(eq(calls.status, "ringing"), ne(calls.direction, "web")));

/** A widget's own sessions: answered, or issued and still able to connect (their token lives). */
export const holdsWidgetSession = () =>
  or(eq(calls.status, "in_progress"), and(eq(calls.status, "ringing"), sql`${calls.createdAt} > ${webRingingSince}`));

/** Web calls whose session was issued but never opened (their token has expired): closed as `abandoned`. */
export function abandonedWebCalls(db: Db, { tenantId }: { tenantId?: string } = {}) {
  return withCallSweep(db, (tx) =>
    tx
      .select({ tenantId: calls.tenantId, callId: calls.id })
      .from(calls)
      .where(
        and(
          isNull(calls.endedAt),
          eq(calls.status, "ringing"),
          eq(calls.direction, "web"),
          lt(calls.createdAt, webRingingSince),
          tenantId ? eq(calls.tenantId, tenantId) : undefined,
        ),
      )
      .limit(500),
  );
}
