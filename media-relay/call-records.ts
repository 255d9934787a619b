import { callWriteRetries } from "../core/telemetry/metrics";
import { untilWritten } from "../db/connection-errors";
import { addCallRecords, type EventRecord, type TurnRecord } from "../db/queries/call-records";
import type { Db } from "../db/tenant";

const MAX_ROWS = 500;
type Log = (fields: Record<string, unknown>) => void;
type Batch = { turns: TurnRecord[]; events: EventRecord[]; written: Promise<void>; settle(): void };

export type CallRecords = {
  /** Resolves once the turn is written (or its failure logged): never rejects, never blocks audio. */
  turn(tenantId: string, turn: TurnRecord): Promise<void>;
  event(tenantId: string, event: EventRecord): Promise<void>;
};

/**
 * The relay's group commit of call turns and events. A transaction per record cost more CPU than
 * a call's audio (five statements, each a socket write): instead each tenant has one writer, and
 * what its calls record within `lingerMs` (and while a write is in flight) goes out together in one
 * transaction: a turn's words reach the live view that much later, never the caller's ear.
 * One tenant's writes stay in order; a database that is away delays them without losing them.
 */
export function callRecordWriter(db: Db, log: Log, { lingerMs = 100 } = {}): CallRecords {
  const queued = new Map<string, Batch>();
  const tails = new Map<string, Promise<void>>();

  const durably = (tenantId: string, records: Pick<Batch, "turns" | "events">) =>
    untilWritten(() => addCallRecords(db, tenantId, records), {
      onRetry(err, attempt) {
        callWriteRetries.inc();
        if (attempt === 1) log({ level: "warn", msg: "database away: call writes will be retried", err: String(err) });
      },
    });

  async function write(tenantId: string, records: Pick<Batch, "turns" | "events">) {
    try {
      await durably(tenantId, records);
    } catch {
      // One record the database refuses must not take its neighbours with it: each alone, then.
      for (const one of [
        ...records.turns.map((t) => ({ turns: [t], events: [] })),
        ...records.events.map((e) => ({ turns: [], events: [e] })),
      ])
        await durably(tenantId, one).catch((err) =>
          log({
            level: "error",
            msg: "call write failed",
            callId: (one.turns[0] ?? one.events[0])?.callId,
            err: String(err),
          }),
        );
    }
  }

  async function flush(tenantId: string) {
    const batch = queued.get(tenantId)!;
    queued.delete(tenantId);
    try {
      // A long outage piles records up: written in statements of a bounded size.
      for (let at = 0; at < Math.max(batch.turns.length, batch.events.length); at += MAX_ROWS)
        await write(tenantId, {
          turns: batch.turns.slice(at, at + MAX_ROWS),
          events: batch.events.slice(at, at + MAX_ROWS),
        });
    } finally {
      batch.settle();
    }
  }

  function batchOf(tenantId: string) {
    const open = queued.get(tenantId);
    if (open) return open;
    let settle!: () => void;
    const written = new Promise<void>((r) => (settle = r));
    const batch: Batch = { turns: [], events: [], written, settle };
    queued.set(tenantId, batch);
    // Waits for the tenant's write in flight, then lingers so the records of the next moments join.
    const tail = (tails.get(tenantId) ?? Promise.resolve())
      .then(() => new Promise((r) => setTimeout(r, lingerMs)))
      .then(() => flush(tenantId));
    tails.set(tenantId, tail);
    void tail.then(() => tails.get(tenantId) === tail && tails.delete(tenantId));
    return batch;
  }

  return {
    turn(tenantId, turn) {
      const batch = batchOf(tenantId);
      batch.turns.push(turn);
      return batch.written;
    },
    event(tenantId, event) {
      const batch = batchOf(tenantId);
      batch.events.push(event);
      return batch.written;
    },
  };
}
