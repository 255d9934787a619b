import { mulawToLinear } from "../../core/audio/mulaw";

/** Milliseconds on one clock for the player and whoever reads its timeline (sub-millisecond). */
export const clock = () => performance.timeOrigin + performance.now();
const SAMPLE_MS = 1000 / 8000;

export type Interval = { start: number; end: number };
type Item = { at: number } & ({ frame: Uint8Array } | { mark: string });

/**
 * Twilio playing a bidirectional stream's outbound audio in real time
 * (https://www.twilio.com/docs/voice/media-streams/websocket-messages): `media` messages queue and
 * play in order, each 160-byte μ-law payload for 20 ms; a `mark` sent after media is sent back
 * when the audio before it has played ("when the media has completed playing"); `clear` empties
 * the queue, and every mark still in it is sent back at once. It keeps the timeline of what the
 * caller heard: when agent audio was audible, each frame played, and each mark and how it came back.
 */
export function createPlayer(echoMark: (name: string) => void) {
  const queue: Item[] = [];
  let playingUntil = 0;
  const audible: Interval[] = [];
  const played: { at: number; end: number; pcm: Int16Array }[] = [];
  const marks: { name: string; at: number; cleared: boolean }[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  // A queued item starts once the one before it has finished and it has arrived: a late timer
  // does not stretch the audio (Twilio's clock is not this process's event loop).
  const startOf = (item: Item) => Math.max(playingUntil, item.at);
  function pump() {
    timer = undefined;
    const now = clock();
    while (queue.length && startOf(queue[0]!) <= now) {
      const item = queue.shift()!;
      const start = startOf(item);
      if ("mark" in item) {
        marks.push({ name: item.mark, at: start, cleared: false });
        echoMark(item.mark);
        continue;
      }
      playingUntil = start + (item.frame.length / 8000) * 1000;
      played.push({ at: start, end: playingUntil, pcm: Int16Array.from(item.frame, mulawToLinear) });
      const last = audible.at(-1);
      if (last && Math.abs(last.end - start) < 0.5) last.end = playingUntil;
      else audible.push({ start, end: playingUntil });
    }
    if (queue.length) timer = setTimeout(pump, Math.max(0, startOf(queue[0]!) - clock()));
  }
  const enqueue = (item: Item) => {
    queue.push(item);
    if (!timer) pump();
  };

  return {
    media: (frame: Uint8Array) => enqueue({ at: clock(), frame }),
    mark: (name: string) => enqueue({ at: clock(), mark: name }),
    clear() {
      const now = clock();
      // The frame playing stops where it is; what never started is dropped.
      if (playingUntil > now) {
        playingUntil = now;
        const last = audible.at(-1);
        if (last && last.end > now) last.end = now;
        const frame = played.at(-1);
        if (frame && frame.end > now) frame.end = now;
      }
      for (const item of queue.splice(0))
        if ("mark" in item) {
          marks.push({ name: item.mark, at: now, cleared: true });
          echoMark(item.mark);
        }
      clearTimeout(timer);
      timer = undefined;
    },
    /** Intervals when agent audio was audible to the caller (the last may still be running). */
    audible: () => audible.map((i) => ({ ...i })),
    /** Every mark sent back: reached by playback, or dropped by a `clear`. */
    marks: () => [...marks],
    /** Whether agent audio is audible at `t`. */
    playingAt: (t: number) => audible.some((i) => i.start <= t && t < i.end),
    /** Nothing queued, nothing playing. */
    idle: () => !queue.length && playingUntil <= clock(),
    /** The agent's audio as heard `n` samples from `t` (linear 16-bit; silence where none played). */
    heard(t: number, n: number): Int16Array {
      const out = new Int16Array(n);
      let j = played.length - 1;
      while (j > 0 && played[j]!.at > t) j--;
      for (let i = 0; i < n; i++) {
        const at = t + i * SAMPLE_MS;
        while (j + 1 < played.length && played[j + 1]!.at <= at) j++;
        const f = played[j];
        if (f && f.at <= at && at < f.end) out[i] = f.pcm[Math.floor((at - f.at) / SAMPLE_MS)] ?? 0;
      }
      return out;
    },
    stop: () => clearTimeout(timer),
  };
}
export type Player = ReturnType<typeof createPlayer>;
