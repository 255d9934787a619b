import { meanSquare } from "./vad";

type Out = { media(frame: Uint8Array): void; mark(name: string): void; clear(): void };
type Sent =
  | { kind: "frame"; frame: Uint8Array; playsAt: number; energy: number }
  | { kind: "mark"; name: string; wire: string };
const FRAME_MS = 20;
/** A resume starts this far before where the caller stopped hearing: the cut word is said again. */
const REWIND_MS = 200;
/** How far back the echo reference looks: a speakerphone's echo comes back within this. */
const ECHO_WINDOW_MS = 400;

/**
 * The agent's audio on its way to the caller (docs/decisions/0042). Twilio plays what it is sent
 * in order, 20 ms a frame, and `clear` drops what it has queued and answers every pending mark at
 * once (https://www.twilio.com/docs/voice/media-streams/websocket-messages#send-a-clear-message).
 * So a pause is a `clear` that keeps what was not yet played (by the play-time model, rewound a
 * little within its sentence), a resume sends it again, and a mark sent again travels under a new
 * name, so the answer the `clear` provoked for it is not taken for the caller having heard it.
 */
export function createPlayout(out: Out, now: () => number) {
  let sent: Sent[] = [];
  let held: Sent[] | null = null;
  let playEnd = 0;
  let generation = 0;
  const stale = new Set<string>();

  const send = (item: Sent) => {
    if (item.kind === "frame") {
      const playsAt = Math.max(now(), playEnd);
      playEnd = playsAt + FRAME_MS;
      sent.push({ ...item, playsAt });
      out.media(item.frame);
    } else {
      sent.push(item);
      out.mark(item.wire);
    }
  };
  /** Forgets frames played long enough ago that neither a resume nor the echo guard needs them. */
  const prune = () => {
    const before = now() - ECHO_WINDOW_MS - FRAME_MS;
    let i = 0;
    while (i < sent.length - 1 && (sent[i]!.kind === "mark" || (sent[i] as { playsAt: number }).playsAt < before)) i++;
    if (i > 64) sent = sent.slice(i);
  };

  return {
    get paused() {
      return held !== null;
    },
    media(frame: Uint8Array) {
      const item = { kind: "frame" as const, frame, playsAt: 0, energy: meanSquare(frame) };
      if (held) held.push(item);
      else send(item);
      prune();
    },
    mark(name: string) {
      if (held) held.push({ kind: "mark", name, wire: name });
      else send({ kind: "mark", name, wire: name });
    },
    /** A mark came back: the name it was sent as, or null for one a pause's `clear` answered. */
    heard(wire: string) {
      if (stale.delete(wire)) return null;
      return wire.replace(/~\d+$/, "");
    },
    /** Stops the caller hearing the agent now, keeping what they have not heard yet. */
    pause() {
      if (held) return;
      out.clear();
      const t = now();
      let from = sent.findIndex((s) => s.kind === "frame" && s.playsAt + FRAME_MS > t);
      // Rewound within the sentence only: a mark already played stays heard.
      while (
        from > 0 &&
        sent[from - 1]!.kind === "frame" &&
        (sent[from - 1] as { playsAt: number }).playsAt > t - REWIND_MS
      )
        from--;
      generation++;
      held = (from < 0 ? [] : sent.slice(from)).map((s) => {
        if (s.kind === "frame") return s;
        stale.add(s.wire);
        return { ...s, wire: `${s.name}~${generation}` };
      });
      sent = from < 0 ? sent : sent.slice(0, from);
      playEnd = t;
    },
    /** Sends again what a pause kept, and carries on. */
    resume() {
      if (!held) return;
      const again = held;
      held = null;
      for (const item of again) send(item);
    },
    /** Drops everything queued or kept: the agent was interrupted for good. */
    drop() {
      held = null;
      out.clear();
      playEnd = now();
    },
    /**
     * Whether caller sound of this energy is most likely the agent's own audio coming back: it is
     * below `margin` (an amplitude ratio) of the loudest agent frame that played in the echo window.
     */
    echoes(energy: number, margin: number) {
      const t = now();
      let loudest = 0;
      for (let i = sent.length - 1; i >= 0; i--) {
        const s = sent[i]!;
        if (s.kind !== "frame" || s.playsAt > t) continue;
        if (s.playsAt + FRAME_MS < t - ECHO_WINDOW_MS) break;
        if (s.energy > loudest) loudest = s.energy;
      }
      return loudest > 0 && energy < loudest * margin * margin;
    },
  };
}
export type Playout = ReturnType<typeof createPlayout>;
