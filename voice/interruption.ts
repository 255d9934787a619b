import { substantiveWords } from "./backchannels";

/**
 * When the caller's sound interrupts the agent (docs/decisions/0042). Energy alone only *pauses*
 * the agent (fast: a real interruption stops it within `minSpeechMs`); words decide. Enough words
 * outside the backchannel list make it an interruption for good; sound that stops without them
 * (a cough, a door, "mhm") resumes the agent where it was cut, and the model is not asked again.
 */
export type InterruptionSettings = {
  /** Speech the energy gate must hear (gaps under `gapMs` allowed) before the agent pauses. */
  minSpeechMs: number;
  /** Words outside the backchannel list that make the interruption final. */
  minWords: number;
  /** Quiet after a pause, with no such words, before the agent resumes. */
  resumeAfterQuietMs: number;
  /** A pause never outlasts this without words (a television, a busy street): the agent resumes. */
  maxPauseMs: number;
};
const gapMs = 100;
/** Noise (a cough, a door, traffic) is loud but not periodic: without this much voice it never pauses the agent. */
const MIN_VOICED_MS = 60;
/** After a resume the gate waits for this much quiet, so the same noise cannot pause again at once. */
const rearmMs = 200;

export type Arbiter =
  | { phase: "idle"; armed: boolean; quietMs: number }
  | { phase: "onset"; speechMs: number; voicedMs: number; quietMs: number }
  | { phase: "paused"; pausedMs: number; quietMs: number };
export type ArbiterEvent =
  /** A caller frame of `ms`: `voice` is loud and not the agent's own echo; `voiced`, it is periodic (a voice, not noise). */
  | { type: "frame"; voice: boolean; voiced?: boolean; ms: number; agentSpeaking: boolean }
  /** What the recogniser has heard of the caller's current utterance so far. */
  | { type: "words"; text: string; final: boolean; agentSpeaking: boolean };
export type ArbiterEffect = "pause" | "resume" | "interrupt" | null;

export const initialArbiter: Arbiter = { phase: "idle", armed: true, quietMs: 0 };
const idle = (armed: boolean): Arbiter => ({ phase: "idle", armed, quietMs: 0 });

export function stepArbiter(
  s: InterruptionSettings & { language: string },
  state: Arbiter,
  e: ArbiterEvent,
): { state: Arbiter; effect: ArbiterEffect } {
  const stay = { state, effect: null };
  if (!e.agentSpeaking) return state.phase === "idle" ? stay : { state: idle(true), effect: null };
  if (e.type === "words") {
    if (substantiveWords(e.text, s.language).length >= s.minWords) return { state: idle(true), effect: "interrupt" };
    if (e.final && state.phase === "paused") return { state: idle(false), effect: "resume" };
    return stay;
  }
  switch (state.phase) {
    case "idle": {
      if (e.voice && state.armed) return gate(s, { phase: "onset", speechMs: 0, voicedMs: 0, quietMs: 0 }, e);
      const quietMs = e.voice ? 0 : state.quietMs + e.ms;
      return { state: { phase: "idle", armed: state.armed || quietMs >= rearmMs, quietMs }, effect: null };
    }
    case "onset": {
      if (e.voice) return gate(s, state, e);
      const quietMs = state.quietMs + e.ms;
      return { state: quietMs > gapMs ? idle(true) : { ...state, quietMs }, effect: null };
    }
    case "paused": {
      const pausedMs = state.pausedMs + e.ms;
      const quietMs = e.voice ? 0 : state.quietMs + e.ms;
      if (quietMs >= s.resumeAfterQuietMs || pausedMs >= s.maxPauseMs) return { state: idle(false), effect: "resume" };
      return { state: { phase: "paused", pausedMs, quietMs }, effect: null };
    }
  }
}

/** Loud sound pauses the agent once it has lasted `minSpeechMs` and some of it was a voice. */
function gate(
  s: InterruptionSettings,
  onset: Extract<Arbiter, { phase: "onset" }>,
  e: { ms: number; voiced?: boolean },
) {
  const speechMs = onset.speechMs + e.ms;
  const voicedMs = onset.voicedMs + (e.voiced === false ? 0 : e.ms);
  if (speechMs >= s.minSpeechMs && voicedMs >= MIN_VOICED_MS)
    return { state: { phase: "paused", pausedMs: 0, quietMs: 0 } as Arbiter, effect: "pause" as const };
  return { state: { phase: "onset", speechMs, voicedMs, quietMs: 0 } as Arbiter, effect: null };
}
