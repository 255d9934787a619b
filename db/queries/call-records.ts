import { sql } from "drizzle-orm";
import type { TurnLatency } from "../../core/turn-latency";
import { channels } from "../live-signals";
import { callEvents, callTurns } from "../schema";
import { type Db, withTenant } from "../tenant";

export type TurnRecord = {
  callId: string;
  seq: number;
  speaker: "agent" | "caller" | "tool";
  text: string;
  offsetMs: number;
  endOffsetMs?: number;
  interrupted?: boolean;
  latencyMs?: number;
  latency?: TurnLatency;
};
export type EventRecord = { callId: string; type: string; payload?: Record<string, unknown> };

/**
 * One tenant's turns and events from many live calls, in one transaction: the relay's group
 * commit (media-relay/call-records.ts). Events keep the order they were recorded in (a
 * microsecond apart within the transaction); each call that changed is signalled once.
 */
export function addCallRecords(db: Db, tenantId: string, records: { turns: TurnRecord[]; events: EventRecord[] }) {
  const { turns, events } = records;
  const changed = [...new Set([...turns, ...events].map((r) => r.callId))];
  if (!changed.length) return Promise.resolve();
  return withTenant(db, tenantId, async (tx) => {
    if (turns.length)
      await tx
        .insert(callTurns)
        .values(turns.map((t) => ({ ...t, tenantId, interrupted: t.interrupted ?? false })))
        .onConflictDoNothing(); // a retried write (the first commit's answer was lost) is already there
    if (events.length)
      await tx.insert(callEvents).values(
        events.map((e, i) => ({
          tenantId,
          callId: e.callId,
          type: e.type,
          payload: e.payload ?? {},
          createdAt: sql`now() + ${i} * interval '1 microsecond'`,
        })),
      );
    await tx.execute(
      sql`select pg_notify(${channels.callLive}, id) from unnest(array[${sql.join(
        changed.map((id) => sql`${id}`),
        sql`, `,
      )}]::text[]) as id`,
    );
  });
}
