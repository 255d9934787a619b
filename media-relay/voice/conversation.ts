import type { TurnLatency } from "../../db/schema";
import { sentences } from "./sentences";
import type { ChatMessage, SpeechToText, VoiceProviders } from "./types";
import { createVad, vadForSensitivity } from "./vad";

export type AgentSettings = { systemPrompt: string; firstMessage: string; voice: string; model: string; language: string; temperature: number; interruptionSensitivity: number };
export type TurnRecord = { seq: number; speaker: "agent" | "caller"; text: string; offsetMs: number; endOffsetMs: number; interrupted: boolean; latencyMs?: number; latency?: TurnLatency };

export type ConversationDeps = {
  providers: VoiceProviders;
  agent: AgentSettings;
  /** What goes back to Twilio, in order: audio, marks, and `clear` to drop what is still queued. */
  out: { media(frame: Uint8Array): void; mark(name: string): void; clear(): void };
  recordTurn(t: TurnRecord): Promise<void>;
  recordEvent(type: string, payload?: Record<string, unknown>): Promise<void>;
  /** Milliseconds since the call was answered. */
  now(): number;
  log(fields: Record<string, unknown>): void;
};

type AgentTurn = {
  seq: number;
  startedAt: number;
  sentences: string[];
  heard: number;
  abort: AbortController;
  done: boolean;
  latencyMs?: number;
  latency?: TurnLatency;
};

const FRAME = 160;

/**
 * One cascade conversation: caller audio → STT → LLM (streamed) → TTS per sentence → Twilio. The
 * agent speaks from the first finished sentence; marks after each sentence tell what was heard,
 * so a barge-in (`clear`, abort LLM and TTS) keeps in the transcript only what the caller heard.
 */
export async function startConversation(deps: ConversationDeps) {
  const { providers, agent, out } = deps;
  const history: ChatMessage[] = [{ role: "system", content: agent.systemPrompt }];
  const vad = createVad(vadForSensitivity(agent.interruptionSensitivity));
  let seq = 0;
  let speaking: AgentTurn | null = null;
  let callerFinals: string[] = [];
  let callerStartedAt: number | null = null;
  let lastVoiceAt = 0;
  let closed = false;

  const finishAgentTurn = async (turn: AgentTurn, interrupted: boolean) => {
    if (turn.done) return;
    turn.done = true;
    if (speaking === turn) speaking = null;
    const text = (interrupted ? turn.sentences.slice(0, turn.heard) : turn.sentences).join(" ");
    if (!text) return; // nothing reached the caller: no turn to show
    history.push({ role: "assistant", content: text });
    await deps.recordTurn({ seq: turn.seq, speaker: "agent", text, offsetMs: turn.startedAt, endOffsetMs: deps.now(), interrupted, latencyMs: turn.latencyMs, latency: turn.latency });
  };

  const bargeIn = async (by: string) => {
    const turn = speaking;
    if (!turn || turn.done) return;
    out.clear();
    turn.abort.abort();
    deps.log({ msg: "barge-in", by, turn: turn.seq, heardSentences: turn.heard });
    await finishAgentTurn(turn, true);
  };

  /** Speaks text as it streams in (a fixed line or an LLM reply), one TTS request per sentence. */
  async function speak(text: AsyncIterable<string>, timing?: { speechEnd: number; sttFinal: number }) {
    const turn: AgentTurn = { seq: seq++, startedAt: deps.now(), sentences: [], heard: 0, abort: new AbortController(), done: false };
    speaking = turn;
    const { signal } = turn.abort;
    let firstToken: number | undefined;
    async function* tapped() {
      for await (const piece of text) {
        firstToken ??= deps.now();
        yield piece;
      }
    }
    try {
      for await (const sentence of sentences(tapped())) {
        if (signal.aborted) return;
        const index = turn.sentences.push(sentence) - 1;
        let ttsFirstByte: number | undefined;
        let pending = new Uint8Array(0);
        async function* one() {
          yield sentence;
        }
        for await (const chunk of providers.tts.synthesize(one(), { voice: agent.voice, signal })) {
          if (signal.aborted) return;
          ttsFirstByte ??= deps.now();
          const joined = new Uint8Array(pending.length + chunk.length);
          joined.set(pending);
          joined.set(chunk, pending.length);
          let at = 0;
          for (; at + FRAME <= joined.length; at += FRAME) out.media(joined.subarray(at, at + FRAME));
          pending = joined.slice(at);
          if (timing && index === 0 && turn.latencyMs === undefined && at > 0) {
            const sent = deps.now();
            const llm = (firstToken ?? sent) - timing.sttFinal;
            const tts = ttsFirstByte - (firstToken ?? ttsFirstByte);
            const stt = timing.sttFinal - timing.speechEnd;
            turn.latencyMs = sent - timing.speechEnd;
            turn.latency = { sttMs: stt, llmMs: llm, ttsMs: Math.max(0, tts - 0), platformMs: Math.max(0, turn.latencyMs - stt - llm - tts) };
          }
        }
        if (pending.length) out.media(Uint8Array.from({ length: FRAME }, (_, i) => pending[i] ?? 0xff));
        out.mark(`turn-${turn.seq}.${index}`);
      }
      if (!signal.aborted) out.mark(`turn-${turn.seq}`);
    } catch (err) {
      if (signal.aborted) return;
      deps.log({ level: "error", msg: "agent turn failed", turn: turn.seq, err: (err as Error).message });
      await deps.recordEvent("provider.error", { turn: turn.seq, message: (err as Error).message });
      await finishAgentTurn(turn, true);
    }
  }

  async function respond(speechEnd: number, sttFinal: number) {
    const signalTurn = new AbortController();
    const messages = [...history];
    const deltas = providers.llm.stream(messages, { model: agent.model, temperature: agent.temperature, signal: signalTurn.signal });
    // The LLM stream shares the turn's abort: speak() owns it once the turn exists.
    const turnPromise = speak(deltas, { speechEnd, sttFinal });
    const turn = speaking;
    turn?.abort.signal.addEventListener("abort", () => signalTurn.abort());
    await turnPromise;
  }

  const stt: SpeechToText = await providers.stt(
    {
      onSpeechStarted: () => void bargeIn("stt"),
      onTranscript: ({ text, final, endOfTurn }) => {
        callerStartedAt ??= deps.now();
        if (final && !endOfTurn) callerFinals.push(text);
        if (!endOfTurn) return;
        const said = text || callerFinals.join(" ");
        callerFinals = [];
        const started = callerStartedAt;
        callerStartedAt = null;
        if (!said.trim() || closed) return;
        const sttFinal = deps.now();
        const speechEnd = Math.min(lastVoiceAt || sttFinal, sttFinal);
        history.push({ role: "user", content: said });
        const callerSeq = seq++;
        void bargeIn("transcript")
          .then(() => deps.recordTurn({ seq: callerSeq, speaker: "caller", text: said, offsetMs: started, endOffsetMs: speechEnd, interrupted: false }))
          .then(() => respond(speechEnd, sttFinal))
          .catch((err) => deps.log({ level: "error", msg: "turn failed", err: (err as Error).message }));
      },
      onError: (err) => deps.log({ level: "error", msg: "speech-to-text failed", err: err.message }),
    },
    { language: agent.language },
  );

  async function* fixed(text: string) {
    yield text;
  }
  void speak(fixed(agent.firstMessage));

  return {
    /** A 20 ms caller frame: to the recogniser, and to our own VAD for a quick barge-in. */
    audio(frame: Uint8Array) {
      stt.send(frame);
      if (vad.push(frame)) void bargeIn("vad");
      if (vad.loud) lastVoiceAt = deps.now();
    },
    /** Twilio played everything before this mark. */
    async mark(name: string) {
      const m = /^turn-(\d+)(?:\.(\d+))?$/.exec(name);
      const turn = speaking;
      if (!m || !turn || Number(m[1]) !== turn.seq) return;
      if (m[2] !== undefined) turn.heard = Math.max(turn.heard, Number(m[2]) + 1);
      else {
        await deps.recordEvent("mark.played", { name });
        await finishAgentTurn(turn, false);
      }
    },
    async close() {
      closed = true;
      const turn = speaking;
      if (turn) {
        turn.abort.abort();
        await finishAgentTurn(turn, true);
      }
      await stt.close();
    },
  };
}
