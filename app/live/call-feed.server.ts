import { listen } from "../../db/listen";
import { channels } from "../../db/live-signals";
import { callFeedSince, type FeedCursor } from "../../db/queries/live-calls";
import type { Db } from "../../db/tenant";

type Log = (f: Record<string, unknown>) => void;

/**
 * One LISTEN connection per process for every live view it serves: a signal for a call wakes that
 * call's views, which read what changed. Views also poll, so a missed signal only delays.
 */
export function createCallFeedHub(opts: { url?: string; log: Log }) {
  const views = new Map<string, Set<() => void>>();
  const listener = opts.url
    ? listen(
        opts.url,
        channels.callLive,
        (callId) => {
          for (const wake of views.get(callId) ?? []) wake();
        },
        opts.log,
      )
    : null;
  return {
    subscribe(callId: string, wake: () => void) {
      if (!views.has(callId)) views.set(callId, new Set());
      views.get(callId)!.add(wake);
      return () => {
        views.get(callId)?.delete(wake);
        if (!views.get(callId)?.size) views.delete(callId);
      };
    },
    close: () => listener?.close(),
  };
}
export type CallFeedHub = ReturnType<typeof createCallFeedHub>;

const ended = (status: string) => status === "completed" || status === "failed";

/**
 * A call's live view as Server-Sent Events: every turn and event (those already there first), then
 * `ended` when the call closes. Reads are tenant-scoped like every other query.
 */
export function callEventStream(
  deps: { db: Db; hub: CallFeedHub; pollMs?: number },
  owner: { tenantId: string; callId: string },
  signal: AbortSignal,
) {
  const encoder = new TextEncoder();
  const cursor: FeedCursor = { seq: -1, eventIds: [] };
  let unsubscribe = () => {};
  let timer: ReturnType<typeof setInterval> | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let reading: Promise<void> | null = null;
      let again = false;
      let done = false;
      const send = (event: string, data: unknown) => {
        if (!done) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      };
      const finish = () => {
        if (done) return;
        done = true;
        unsubscribe();
        clearInterval(timer);
        try {
          controller.close();
        } catch {
          // The client went away first.
        }
      };
      const read = async () => {
        const feed = await callFeedSince(deps.db, owner, cursor);
        if (!feed || done) return finish();
        for (const t of feed.turns) {
          cursor.seq = Math.max(cursor.seq, t.seq);
          send("turn", t);
        }
        for (const e of feed.events) {
          cursor.eventIds.push(e.id);
          send("event", { type: e.type, at: e.at.toISOString() });
        }
        send("status", { status: feed.status });
        if (ended(feed.status)) {
          send("ended", { status: feed.status, reason: feed.endReason });
          finish();
        }
      };
      // Wakes coalesce: one read at a time, and one more if a signal came during it.
      const wake = () => {
        if (done) return;
        if (reading) {
          again = true;
          return;
        }
        reading = read()
          .catch(() => send("error", { message: "The live view lost the database; retrying." }))
          .finally(() => {
            reading = null;
            if (again) {
              again = false;
              wake();
            }
          });
      };
      unsubscribe = deps.hub.subscribe(owner.callId, wake);
      timer = setInterval(wake, deps.pollMs ?? 2000);
      signal.addEventListener("abort", finish);
      wake();
    },
    cancel() {
      unsubscribe();
      clearInterval(timer);
    },
  });
}
