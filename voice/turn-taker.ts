import { defaultTurnTaking, type TurnTaking } from "../core/agents/turn-taking";
import { substantiveWords, wordsOf } from "./backchannels";
import { unfinishedThought } from "./endpointing";
import { type Arbiter, type ArbiterEvent, initialArbiter, stepArbiter } from "./interruption";
import { createPlayout } from "./playout";
import { meanSquare, vadForSensitivity } from "./vad";
import { voiced } from "./voicing";

type Out = { media(frame: Uint8Array): void; mark(name: string): void; clear(): void };

/**
 * The caller's side of turn-taking for one cascade call (docs/decisions/0042): which caller sound
 * is speech (energy, minus the agent's own echo), what pauses, resumes or interrupts the agent
 * (the arbiter), which words are only listening, and when a finished utterance is a turn.
 */
export function createTurnTaker(deps: {
  agent: { language: string; interruptionSensitivity: number; turnTaking?: Partial<TurnTaking> };
  /** The recogniser ends a finished sentence with its mark (Deepgram's `smart_format`). */
  punctuated: boolean;
  out: Out;
  now(): number;
  /** Whether the agent has lines playing (a pause keeps them playing). */
  agentSpeaking(): boolean;
  /** The words of the agent's lines in flight: what a speakerphone echoes back. */
  agentWords(): string;
  interrupt(by: "vad" | "words"): void;
  /** The caller's turn: what they said, and when they began. */
  turn(text: string, started: number): void;
  recordEvent(type: string, payload?: Record<string, unknown>): Promise<void>;
}) {
  const settings = { ...defaultTurnTaking, ...deps.agent.turnTaking, language: deps.agent.language };
  const { threshold } = vadForSensitivity(deps.agent.interruptionSensitivity);
  const playout = createPlayout(deps.out, deps.now);
  let arbiter: Arbiter = initialArbiter;
  const kept = [new Uint8Array(160).fill(0xff), new Uint8Array(160).fill(0xff)];
  let flip = 0;
  let last: Uint8Array = kept[0]!;
  let pauseTimer: ReturnType<typeof setTimeout> | undefined;
  let unfinished: { text: string; started: number; timer?: ReturnType<typeof setTimeout> } | null = null;

  function arbitrate(e: ArbiterEvent) {
    const r = stepArbiter(settings, arbiter, e);
    arbiter = r.state;
    if (!r.effect) return;
    clearTimeout(pauseTimer);
    if (r.effect === "interrupt") return deps.interrupt(e.type === "words" ? "words" : "vad");
    if (r.effect === "pause") {
      playout.pause();
      // Frames drive the arbiter; should they stop coming (a browser's muted microphone), resume anyway.
      pauseTimer = setTimeout(
        () => arbitrate({ type: "frame", voice: false, ms: settings.maxPauseMs, agentSpeaking: deps.agentSpeaking() }),
        settings.maxPauseMs + 250,
      );
      pauseTimer.unref?.();
    } else playout.resume();
    void deps.recordEvent(r.effect === "pause" ? "interruption.paused" : "interruption.resumed", { at: deps.now() });
  }

  /** (Re)starts the extra wait for an unfinished thought: the caller's sound pushes it on. */
  const waitForMore = () => {
    if (!unfinished) return;
    clearTimeout(unfinished.timer);
    unfinished.timer = setTimeout(() => {
      const held = unfinished;
      unfinished = null;
      if (held) deps.turn(held.text, held.started);
    }, settings.endpointingExtraMs);
  };

  return {
    playout,
    fillerAfterMs: settings.fillerAfterMs,
    /** A caller frame: whether it is the caller's voice (loud, and not the agent's own echo). */
    frame(frame: Uint8Array) {
      const energy = meanSquare(frame);
      const voice =
        energy >= threshold * threshold && !(settings.echoMargin > 0 && playout.echoes(energy, settings.echoMargin));
      if (voice) waitForMore();
      // A copy: the transport may reuse the frame's buffer once this returns.
      const previous = last;
      flip ^= 1;
      last = kept[flip]!.length === frame.length ? kept[flip]! : new Uint8Array(frame.length);
      last.set(frame);
      if (!voice && arbiter.phase === "idle" && arbiter.armed) return voice;
      const agentSpeaking = deps.agentSpeaking();
      // The voicing check costs a little: only where it can decide a pause.
      const gating = voice && agentSpeaking && arbiter.phase !== "paused";
      const isVoiced = gating ? voiced(previous, frame) : undefined;
      arbitrate({ type: "frame", voice, voiced: isVoiced, ms: frame.length / 8, agentSpeaking });
      return voice;
    },
    /** Words the recogniser heard that are only the agent's own line coming back (speakerphone). */
    isAgentEcho(text: string) {
      if (!deps.agentSpeaking()) return false;
      const spoken = new Set(wordsOf(deps.agentWords()));
      const heard = wordsOf(text);
      return heard.length >= 2 && heard.every((w) => spoken.has(w));
    },
    words(text: string, final: boolean) {
      arbitrate({ type: "words", text, final, agentSpeaking: deps.agentSpeaking() });
    },
    /**
     * The recogniser says the caller is done. "Mhm" while the agent speaks is listening, not a
     * turn; stopped mid-thought ("…and", a number read out), the turn waits `endpointingExtraMs`
     * more and what the caller says next joins it.
     */
    utteranceEnded(text: string, started: number) {
      if (deps.agentSpeaking() && !substantiveWords(text, settings.language).length)
        return void deps.recordEvent("caller.backchannel", { text: text.slice(0, 100), at: deps.now() });
      const said = unfinished ? `${unfinished.text} ${text}` : text;
      const from = unfinished?.started ?? started;
      clearTimeout(unfinished?.timer);
      unfinished = null;
      if (!settings.endpointingExtraMs || !unfinishedThought(said, settings.language, deps))
        return deps.turn(said, from);
      unfinished = { text: said, started: from };
      waitForMore();
    },
    /** The agent was cut off for good: nothing is paused any more. */
    reset() {
      clearTimeout(pauseTimer);
      arbiter = initialArbiter;
    },
    close() {
      clearTimeout(pauseTimer);
      clearTimeout(unfinished?.timer);
    },
  };
}
