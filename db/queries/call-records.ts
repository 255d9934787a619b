import { sql } from "drizzle-orm";
import type { TurnLatency } from "../../core/turn-latency";
import { channels } from "../live-signals";
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
 * commit (media-relay/call-records.ts). Each table takes one INSERT whose rows travel as one JSON
 * parameter: building a statement row by row was itself a stall of the relay's event loop at
 * hundreds of calls. Events keep the order they were recorded in (a microsecond apart within the
 * transaction); each call that changed is signalled once.
 */
export function addCallRecords(db: Db, tenantId: string, records: { turns: TurnRecord[]; events: EventRecord[] }) {
  const { turns, events } = records;
  const changed = [...new Set([...turns, ...events].map((r) => r.callId))];
  if (!changed.length) return Promise.resolve();
  return withTenant(db, tenantId, async (tx) => {
    if (turns.length)
      await tx.execute(sql`
        insert into call_turns (tenant_id, call_id, seq, speaker, text, offset_ms, end_offset_ms, interrupted, latency_ms, latency)
        select ${tenantId}::uuid, t.call_id, t.seq, t.speaker, t.text, t.offset_ms, t.end_offset_ms,
               coalesce(t.interrupted, false), t.latency_ms, t.latency
        from jsonb_to_recordset(${JSON.stringify(turns.map(turnRow))}::jsonb) as t(
          call_id uuid, seq int, speaker text, text text, offset_ms int, end_offset_ms int,
          interrupted boolean, latency_ms int, latency jsonb)
        on conflict do nothing`); // a retried write (the first commit's answer was lost) is already there
    if (events.length)
      await tx.execute(sql`
        insert into call_events (tenant_id, call_id, type, payload, created_at)
        select ${tenantId}::uuid, (e.row->>'callId')::uuid, e.row->>'type', coalesce(e.row->'payload', '{}'::jsonb),
               now() + (e.ord - 1) * interval '1 microsecond'
        from jsonb_array_elements(${JSON.stringify(events)}::jsonb) with ordinality as e(row, ord)`);
    await tx.execute(
      sql`select pg_notify(${channels.callLive}, id) from jsonb_array_elements_text(${JSON.stringify(changed)}::jsonb) as id`,
    );
  });
}

const turnRow = (t: TurnRecord) => ({
  call_id: t.callId,
  seq: t.seq,
  speaker: t.speaker,
  text: t.text,
  offset_ms: t.offsetMs,
  end_offset_ms: t.endOffsetMs ?? null,
  interrupted: t.interrupted ?? false,
  latency_ms: t.latencyMs ?? null,
  latency: t.latency ?? null,
});
