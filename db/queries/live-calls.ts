import { and, asc, desc, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import { channels, notify } from "../live-signals";
import { agents, callEvents, calls, callTurns } from "../schema";
import { type Db, withTenant } from "../tenant";
import { type Actor, recordAudit } from "./audit";

type Owner = { tenantId: string; callId: string };
export type FeedCursor = { seq: number; eventIds: string[] };

/** A ringing call older than this was never answered; it is not shown as live. */
const RINGING_WINDOW = sql`now() - interval '2 minutes'`;

/** The tenant's calls in progress (and ringing ones from the last minutes), newest first. */
export function listLiveCalls(db: Db, { tenantId }: { tenantId: string }) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: calls.id,
        direction: calls.direction,
        status: calls.status,
        startedAt: calls.startedAt,
        createdAt: calls.createdAt,
        agentName: agents.name,
        origin: calls.origin,
      })
      .from(calls)
      .leftJoin(agents, eq(agents.id, calls.agentId))
      .where(
        and(
          eq(calls.tenantId, tenantId),
          isNull(calls.endedAt),
          or(eq(calls.status, "in_progress"), and(eq(calls.status, "ringing"), gt(calls.createdAt, RINGING_WINDOW))),
        ),
      )
      .orderBy(desc(calls.createdAt))
      .limit(200),
  );
}

/** What a live view has not shown yet: turns after `seq`, events it has not seen, and the call's status. */
export function callFeedSince(db: Db, { tenantId, callId }: Owner, after: FeedCursor) {
  return withTenant(db, tenantId, async (tx) => {
    const [call] = await tx
      .select({ status: calls.status, endReason: calls.endReason })
      .from(calls)
      .where(and(eq(calls.id, callId), eq(calls.tenantId, tenantId)));
    if (!call) return null;
    const turns = await tx
      .select({
        seq: callTurns.seq,
        speaker: callTurns.speaker,
        text: callTurns.text,
        offsetMs: callTurns.offsetMs,
        interrupted: callTurns.interrupted,
      })
      .from(callTurns)
      .where(and(eq(callTurns.callId, callId), eq(callTurns.tenantId, tenantId), gt(callTurns.seq, after.seq)))
      .orderBy(asc(callTurns.seq));
    const events = (
      await tx
        .select({ id: callEvents.id, type: callEvents.type, at: callEvents.createdAt })
        .from(callEvents)
        .where(and(eq(callEvents.callId, callId), eq(callEvents.tenantId, tenantId)))
        .orderBy(asc(callEvents.createdAt))
    ).filter((e) => !after.eventIds.includes(e.id));
    return { ...call, turns, events };
  });
}

/**
 * An admin's request to end a live call: recorded on the call and in the audit log, and signalled
 * to the relays (the one carrying it hangs up). False: the call is not live.
 */
export function requestCallEnd(db: Db, { tenantId, callId, actor }: Owner & { actor: Actor }) {
  return withTenant(db, tenantId, async (tx) => {
    const [call] = await tx
      .select({ id: calls.id })
      .from(calls)
      .where(and(eq(calls.id, callId), eq(calls.tenantId, tenantId), isNull(calls.endedAt)));
    if (!call) return false;
    await tx.insert(callEvents).values({ tenantId, callId, type: "call.end_requested", payload: { by: actor.userId } });
    await recordAudit(tx, { tenantId, actor, action: "call.ended_by_admin", target: { type: "call", id: callId } });
    await notify(tx, channels.callLive, callId);
    await notify(tx, channels.callControl, callId);
    return true;
  });
}

/** Of these live calls, the ones an admin asked to end (the relay's fallback when a signal was missed). */
export async function endRequested(db: Db, { tenantId, callIds }: { tenantId: string; callIds: string[] }) {
  if (!callIds.length) return [];
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .selectDistinct({ callId: callEvents.callId })
      .from(callEvents)
      .where(
        and(
          eq(callEvents.tenantId, tenantId),
          inArray(callEvents.callId, callIds),
          eq(callEvents.type, "call.end_requested"),
        ),
      ),
  );
  return rows.map((r) => r.callId);
}
