import { turnLatency } from "../core/telemetry/metrics";
import type { TurnLatency } from "../core/turn-latency";
import { sentences } from "./sentences";
import type { TextToSpeech } from "./types";

const FRAME = 160;

export type AgentTurn = {
  seq: number;
  startedAt: number;
  sentences: string[];
  abort: AbortController;
  /** Its words already went to the model's history with the tool calls they led to. */
  inHistory?: boolean;
  latencyMs?: number;
  latency?: TurnLatency;
  /** When the first sentence's first frame left, and how many 20 ms frames it had: what its mark's return is timed against. */
  firstSentence?: { sentAt: number; frames: number };
};

export type Timing = { speechEnd: number; sttFinal: number };
type Out = { media(frame: Uint8Array): void; mark(name: string): void };

/**
 * Speaks a turn: text arrives as a stream (a fixed line or an LLM reply), each sentence goes to
 * TTS as soon as it is complete, audio leaves in 20 ms frames, and a mark follows each sentence
 * (`turn-N.i`) and the whole turn (`turn-N`). Records the reply's latency by stage.
 */
export async function speakTurn(
  turn: AgentTurn,
  text: AsyncIterable<string>,
  deps: { tts: TextToSpeech; voice: string; out: Out; now(): number },
  timing?: Timing,
) {
  const { signal } = turn.abort;
  // The model's stage lasts until its first sentence is whole: speech cannot start before that.
  let firstSentence: number | undefined;
  for await (const sentence of sentences(text)) {
    if (signal.aborted) return;
    firstSentence ??= deps.now();
    const index = turn.sentences.push(sentence) - 1;
    let ttsFirstByte: number | undefined;
    let pending = new Uint8Array(0);
    const sentAt = deps.now();
    let frames = 0;
    // Re-iterable, so a retried TTS request gets the sentence again.
    const input = {
      [Symbol.asyncIterator]: async function* () {
        yield sentence;
      },
    };
    for await (const chunk of deps.tts.synthesize(input, { voice: deps.voice, signal })) {
      if (signal.aborted) return;
      ttsFirstByte ??= deps.now();
      const joined = new Uint8Array(pending.length + chunk.length);
      joined.set(pending);
      joined.set(chunk, pending.length);
      let at = 0;
      for (; at + FRAME <= joined.length; at += FRAME, frames++) deps.out.media(joined.subarray(at, at + FRAME));
      pending = joined.slice(at);
      if (timing && turn.latencyMs === undefined && at > 0) {
        const sent = deps.now();
        const sttMs = timing.sttFinal - timing.speechEnd;
        const llmMs = (firstSentence ?? sent) - timing.sttFinal;
        const ttsMs = ttsFirstByte - (firstSentence ?? ttsFirstByte);
        turn.latencyMs = sent - timing.speechEnd;
        turn.latency = { sttMs, llmMs, ttsMs, platformMs: Math.max(0, turn.latencyMs - sttMs - llmMs - ttsMs) };
        turnLatency.observe(turn.latencyMs / 1000);
      }
    }
    if (pending.length) {
      deps.out.media(Uint8Array.from({ length: FRAME }, (_, i) => pending[i] ?? 0xff));
      frames++;
    }
    if (index === 0) turn.firstSentence = { sentAt: ttsFirstByte ?? sentAt, frames };
    deps.out.mark(`turn-${turn.seq}.${index}`);
  }
  if (!signal.aborted) deps.out.mark(`turn-${turn.seq}`);
}

/**
 * The first sentence's mark came back at `now`: Twilio played its audio (frames × 20 ms) between
 * the way out and the way back, so half of what is left is the one-way network time the caller
 * also waited (an estimate, high if speech came slower than it plays; docs/decisions/0044).
 */
export function firstSentenceHeard(turn: AgentTurn, now: number) {
  // Once: a mark sent again after a pause (voice/playout.ts) comes back later than the audio first played.
  if (!turn.latency || !turn.firstSentence || turn.latency.networkMs !== undefined) return;
  const roundTrip = now - turn.firstSentence.sentAt - turn.firstSentence.frames * 20;
  turn.latency.networkMs = Math.max(0, Math.round(roundTrip / 2));
}
