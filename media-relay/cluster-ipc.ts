import type { Worker } from "node:cluster";
import { type CallSlots, callSlots } from "./call-slots";

/**
 * What a relay worker tells or asks its primary (media-relay/cluster.ts) over the cluster's IPC
 * channel: how many sockets it carries, and, without Upstash, the per-tenant call slots, which the
 * primary counts for every worker so the limit holds for the relay as a whole.
 */
export type ToPrimary =
  | { bvrai: "calls"; count: number }
  | { bvrai: "acquire"; id: number; tenantId: string; callId: string; limit?: number }
  | { bvrai: "release"; tenantId: string; callId: string };
type ToWorker = { bvrai: "acquired"; id: number; ok: boolean };

const send = (msg: ToPrimary) => process.connected && process.send!(msg);

/** In a worker: call slots counted by the primary. */
export function primarySlots(): CallSlots {
  const waiting = new Map<number, (ok: boolean) => void>();
  let next = 0;
  process.on("message", (m: ToWorker) => {
    if (m?.bvrai !== "acquired") return;
    waiting.get(m.id)?.(m.ok);
    waiting.delete(m.id);
  });
  return {
    acquire: (tenantId, callId, limit) =>
      new Promise((resolve) => {
        const id = next++;
        waiting.set(id, resolve);
        send({ bvrai: "acquire", id, tenantId, callId, limit });
      }),
    async release(tenantId, callId) {
      send({ bvrai: "release", tenantId, callId });
    },
  };
}

/** In a worker: tells the primary how many sockets it carries now. */
export const reportCalls = (count: number) => send({ bvrai: "calls", count });

/**
 * In the primary: the slots every worker holds, and the sockets each carries. A worker that dies
 * gives its slots back at once (its calls are gone; the lost-call sweep closes their records).
 */
export function workerLedger(limit: number) {
  const slots = callSlots(null, { limit });
  const held = new Map<number, Map<string, string>>(); // worker id → call id → tenant id
  const calls = new Map<number, number>();
  const holding = (w: Worker) => held.get(w.id) ?? held.set(w.id, new Map()).get(w.id)!;
  return {
    async onMessage(w: Worker, m: ToPrimary) {
      if (m?.bvrai === "calls") calls.set(w.id, m.count);
      if (m?.bvrai === "release") {
        holding(w).delete(m.callId);
        await slots.release(m.tenantId, m.callId);
      }
      if (m?.bvrai !== "acquire") return;
      const ok = await slots.acquire(m.tenantId, m.callId, m.limit);
      if (ok && w.isDead()) return slots.release(m.tenantId, m.callId);
      if (ok) holding(w).set(m.callId, m.tenantId);
      if (w.isConnected()) w.send({ bvrai: "acquired", id: m.id, ok } satisfies ToWorker);
    },
    async gone(w: Worker) {
      for (const [callId, tenantId] of holding(w)) await slots.release(tenantId, callId);
      held.delete(w.id);
      calls.delete(w.id);
    },
    calls: (w: Worker) => calls.get(w.id) ?? 0,
  };
}
