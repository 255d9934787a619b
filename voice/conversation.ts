import type { AgentTool } from "../core/agent-tools";
import type { TurnTaking } from "../core/agents/turn-taking";
import { dtmfFrames } from "../core/audio/dtmf";
import type { TurnLatency } from "../core/turn-latency";
import { type CallLimits, limitLines } from "./call-limits";
import type { CallEffect } from "./call-state";
import { startCallState } from "./call-state-clock";
import { fillerLine } from "./filler";
import { handOver, TRANSFER_FAILED_LINE } from "./hand-over";
import type { ScreenedTurn } from "./screening-turn";
import { type AgentTurn, firstSentenceHeard, speakTurn, type Timing } from "./speaker";
import { runTool, type ToolOutcome, type TransferRequest, toolSpecs } from "./tools";
import { createTurnTaker } from "./turn-taker";
import type { ChatMessage, SpeechToText, ToolCall, VoiceProviders } from "./types";

export type AgentSettings = {
  systemPrompt: string;
  /** Empty: the agent waits for the caller to speak first. */
  firstMessage: string;
  voice: string;
  model: string;
  language: string;
  temperature: number;
  interruptionSensitivity: number;
  /** How the agent takes turns; unset fields take the defaults (docs/decisions/0042). */
  turnTaking?: Partial<TurnTaking>;
  maxDurationSeconds: number;
  silenceTimeoutSeconds: number;
  endCallPhrases: string[];
  tools: AgentTool[];
  /** With `knowledge`: `auto` adds relevant passages before each reply, `tool` lets the model search. */
  retrievalMode?: "auto" | "tool";
};
export type KnowledgePassage = { id: string; content: string; document: string };
export type TurnRecord = {
  seq: number;
  speaker: "agent" | "caller" | "tool";
  text: string;
  offsetMs: number;
  endOffsetMs: number;
  interrupted: boolean;
  latencyMs?: number;
  latency?: TurnLatency;
};

export type ConversationDeps = {
  providers: VoiceProviders;
  agent: AgentSettings;
  /** What goes back to Twilio, in order: audio, marks, and `clear` to drop what is still queued. */
  out: { media(frame: Uint8Array): void; mark(name: string): void; clear(): void };
  recordTurn(t: TurnRecord): Promise<void>;
  recordEvent(type: string, payload?: Record<string, unknown>): Promise<void>;
  /** Ends the call from our side (closing the stream ends a <Connect><Stream> call). */
  hangUp(reason: string): void;
  /** Hands the caller to a person (docs/decisions/0013): the stream ends, Twilio carries on the call. */
  transfer(request: TransferRequest): Promise<void>;
  /** Searches the agent's knowledge bases (absent: the agent has none). */
  knowledge?: (query: string) => Promise<KnowledgePassage[]>;
  /** Runs a tool call (default: for real). Agent test runs record calls instead of reaching tenants' endpoints. */
  runTool?: (call: ToolCall, tools: AgentTool[]) => Promise<ToolOutcome>;
  /** Tests only: addresses the tools' SSRF guard lets through. */
  allowToolAddresses?: string[];
  /** The call's deadlines beyond the agent's maximum length (a widget session's, a trial's minutes). */
  limits?: CallLimits;
  /** Outbound calls: may answer a final caller transcript itself (a call-screening assistant, docs/decisions/0045). */
  screen?: (said: string) => ScreenedTurn | null;
  /** Milliseconds since the call was answered. */
  now(): number;
  log(fields: Record<string, unknown>): void;
};

export const lines = {
  ...limitLines,
  fallback: "I'm sorry, I'm having technical trouble right now. Please call back in a few minutes. Goodbye.",
  transferFailed: TRANSFER_FAILED_LINE,
};
/** Model calls a reply may take when each asks for tools: both engines stop there. */
export const MAX_TOOL_ROUNDS = 3;
/** Automatic retrieval's share of a turn's latency budget; slower, and the reply goes without it. */
const RETRIEVAL_DEADLINE_MS = 700;
const searchSpec = {
  name: "search_knowledge",
  description:
    "Search the business's knowledge base for facts (hours, prices, policies) before answering a question about them.",
  parameters: {
    type: "object",
    properties: { query: { type: "string", description: "What to look up, in a few words" } },
    required: ["query"],
  },
};
const passagesText = (hits: KnowledgePassage[]) =>
  hits.map((h, i) => `[${i + 1}] (${h.document}) ${h.content}`).join("\n");

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/**
 * One cascade conversation: caller audio → STT → LLM (streamed) → TTS per sentence → Twilio. A
 * barge-in (our VAD or the STT's) sends `clear`, aborts the LLM and TTS, and keeps in the
 * transcript only the sentences whose marks came back. Silence, the time limits and end-call
 * phrases (the call-limits rules) and provider failure each end the call after a spoken last line.
 */
export async function startConversation(deps: ConversationDeps) {
  const { providers, agent, out } = deps;
  const history: ChatMessage[] = [{ role: "system", content: agent.systemPrompt }];
  const taker = createTurnTaker({
    agent,
    // Our Deepgram client asks for smart_format, which punctuates (voice/deepgram.ts).
    punctuated: providers.vendors?.stt === "deepgram",
    out,
    now: deps.now,
    agentSpeaking: () => limits.bargeIn,
    agentWords: () => [...turns.values()].flatMap((t) => t.sentences).join(" "),
    interrupt: (by) => void bargeIn(by),
    turn: (text, started) => !limits.over && callerFinished(text, started),
    recordEvent: deps.recordEvent,
  });
  const { playout } = taker;
  let seq = 0;
  // Turns sent to Twilio and not yet heard or cut off, by line id (the call state holds how much of
  // each was heard): a reply can be spoken while the tool it called runs, so more than one may be.
  const turns = new Map<string, AgentTurn>();
  const lineOf = (turn: AgentTurn) => `turn-${turn.seq}`;
  let callerStartedAt: number | null = null;
  let lastVoiceAt = 0;
  // The call state's writes (transcript, hand-over) under way: a mark or close waits for them.
  const writes: Promise<unknown>[] = [];
  const write = (p: Promise<unknown>) =>
    writes.push(p.catch((err) => deps.log({ level: "error", msg: "call write failed", err: (err as Error).message })));
  const flush = async () => {
    while (writes.length) await Promise.all(writes.splice(0));
  };
  const searching = Boolean(deps.knowledge) && agent.retrievalMode === "tool";
  const specs = [...toolSpecs(agent.tools), ...(searching ? [searchSpec] : [])];

  /** Looks up passages and notes in the call's record which ones reached the model. */
  async function retrieve(query: string, how: "auto" | "tool") {
    const hits = await deps.knowledge!(query);
    if (hits.length)
      await deps.recordEvent("knowledge.used", {
        how,
        query: query.slice(0, 200),
        chunks: hits.map((h) => ({ id: h.id, document: h.document })),
      });
    return hits;
  }

  /** `auto` mode: the passages for what the caller just said, if they come within the deadline. */
  async function autoContext(): Promise<ChatMessage[]> {
    const last = history.at(-1);
    if (!deps.knowledge || agent.retrievalMode === "tool" || last?.role !== "user") return [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((r) => {
      timer = setTimeout(() => r(null), RETRIEVAL_DEADLINE_MS);
    });
    try {
      const hits = await Promise.race([retrieve(last.content, "auto"), late]);
      if (hits === null)
        deps.log({ level: "warn", msg: "knowledge retrieval missed its deadline", ms: RETRIEVAL_DEADLINE_MS });
      return hits?.length
        ? [
            {
              role: "system",
              content: `Passages from the knowledge base that may help (use them only if relevant):\n${passagesText(hits)}`,
            },
          ]
        : [];
    } catch (err) {
      deps.log({ level: "error", msg: "knowledge retrieval failed", err: (err as Error).message });
      return [];
    } finally {
      clearTimeout(timer);
    }
  }

  /** A line is over: the words the caller heard go to the transcript and the model's history. */
  function lineDone({ id, text, interrupted }: Extract<CallEffect, { kind: "line_done" }>) {
    const turn = turns.get(id);
    if (!turn) return;
    turns.delete(id);
    if (!text) return;
    if (!turn.inHistory) history.push({ role: "assistant", content: text });
    write(
      deps.recordTurn({
        seq: turn.seq,
        speaker: "agent",
        text,
        offsetMs: turn.startedAt,
        endOffsetMs: deps.now(),
        interrupted,
        latencyMs: turn.latencyMs,
        latency: turn.latency,
      }),
    );
  }

  /** Drops everything still queued at Twilio; each turn keeps the words already heard. */
  const cutOff = async () => {
    const cut = [...turns.values()];
    taker.reset();
    if (!cut.length) return [];
    playout.drop();
    for (const t of cut) t.abort.abort();
    limits.send({ type: "cleared" });
    await flush();
    return cut;
  };

  const bargeIn = async (by: string) => {
    if (!limits.bargeIn) return;
    const cut = await cutOff();
    deps.log({ msg: "barge-in", by, turns: cut.map((t) => t.seq) });
  };

  /** Speaks a turn; on provider failure says the fallback line (if TTS still works) and hangs up. */
  async function speak(text: AsyncIterable<string>, timing?: Timing) {
    const turn: AgentTurn = {
      seq: seq++,
      startedAt: deps.now(),
      sentences: [],
      abort: new AbortController(),
    };
    const id = lineOf(turn);
    turns.set(id, turn);
    limits.send({ type: "line_started", id });
    // Each sentence joins the line as its mark goes out, measured in words (what a mark back counts).
    const mark = (name: string) => {
      const index = Number(/\.(\d+)$/.exec(name)?.[1] ?? Number.NaN);
      const sentence = turn.sentences[index];
      if (sentence)
        limits.send({ type: "line_sent", id, text: index ? ` ${sentence}` : sentence, units: wordCount(sentence) });
      playout.mark(name);
    };
    try {
      await speakTurn(
        turn,
        text,
        {
          tts: providers.tts,
          voice: agent.voice,
          out: { media: (frame) => playout.media(frame), mark },
          now: deps.now,
        },
        timing,
      );
      if (!turn.abort.signal.aborted) limits.send({ type: "agent_said", text: turn.sentences.join(" ") });
    } catch (err) {
      if (turn.abort.signal.aborted) return;
      deps.log({ level: "error", msg: "agent turn failed", turn: turn.seq, err: (err as Error).message });
      await deps.recordEvent("provider.error", { turn: turn.seq, message: (err as Error).message });
      limits.send({ type: "line_dropped", id });
      await flush();
      // A last line that cannot be said ends the call at once; any other turn, after the fallback line.
      if (limits.ending) return limits.send({ type: "line_failed" });
      playout.drop();
      limits.send({ type: "end", reason: "provider_error", line: lines.fallback });
    }
  }

  async function* fixed(text: string) {
    yield text;
  }

  /** The reply (or greeting, or last line) in progress: text test runs wait on it between turns. */
  let work: Promise<unknown> = Promise.resolve();
  const track = (p: Promise<unknown>) => {
    work = Promise.all([work, p]);
  };
  const limits = startCallState(deps, (effect) => {
    if (effect.kind === "line_done") return lineDone(effect);
    if (effect.kind === "hand_over") return write(handOver(deps, limits, effect.action));
    if (effect.kind === "hang_up") return deps.hangUp(effect.reason);
    // A last line cuts off whatever is playing; the call ends once the caller has heard it.
    if (effect.kind === "goodbye") void cutOff();
    track(speak(fixed(effect.line)));
  });

  /** Up to three rounds of: the model speaks and may call tools; their results go back to it. */
  async function reply(timing: Timing) {
    // The passages go just before the caller's words they answer, in every round of this reply.
    const at = history.length - 1;
    const context = await autoContext();
    let fillerSaid = false;
    for (let round = 0; round < MAX_TOOL_ROUNDS && !limits.ending; round++) {
      const calls: ToolCall[] = [];
      const turnAbort = new AbortController();
      const stream = providers.llm.stream([...history.slice(0, at), ...context, ...history.slice(at)], {
        model: agent.model,
        temperature: agent.temperature,
        signal: turnAbort.signal,
        tools: specs,
      });
      async function* text() {
        for await (const item of stream) {
          if (typeof item === "string") yield item;
          else calls.push(item);
        }
      }
      const spoken = speak(text(), round === 0 ? timing : undefined);
      const turn = [...turns.values()].at(-1);
      turn?.abort.signal.addEventListener("abort", () => turnAbort.abort());
      await spoken;
      if (!calls.length || turn?.abort.signal.aborted || limits.ending) return;
      // The words said before the tool calls belong to the same assistant message, ahead of the
      // tool results, whether or not the caller has heard them all yet.
      if (turn) turn.inHistory = true;
      history.push({
        role: "assistant",
        content: turn?.sentences.join(" ") || null,
        tool_calls: calls.map((c) => ({
          id: c.id,
          type: "function",
          function: { name: c.name, arguments: c.arguments },
        })),
      });
      for (const call of calls) {
        // A slow tool gets one short line, so the caller does not hear dead air (not over the agent's own words).
        const filler =
          fillerSaid || !taker.fillerAfterMs
            ? undefined
            : setTimeout(() => {
                if (limits.ending || limits.bargeIn) return;
                fillerSaid = true;
                track(speak(fixed(fillerLine(agent.language))));
              }, taker.fillerAfterMs);
        const outcome = await (searching && call.name === "search_knowledge"
          ? searchTool(call)
          : deps.runTool
            ? deps.runTool(call, agent.tools)
            : runTool(call, agent.tools, { allowAddresses: deps.allowToolAddresses })
        ).finally(() => clearTimeout(filler));
        history.push({ role: "tool", tool_call_id: call.id, content: outcome.result });
        await deps.recordTurn({
          seq: seq++,
          speaker: "tool",
          text: `${call.name}(${call.arguments || ""}) → ${outcome.result.slice(0, 300)}`,
          offsetMs: deps.now(),
          endOffsetMs: deps.now(),
          interrupted: false,
        });
        if (outcome.dtmf) {
          // Queued behind what was just said, as a handset's keys would be.
          for (const frame of dtmfFrames(outcome.dtmf)) playout.media(frame);
          await deps.recordEvent("call.dtmf_sent", { digits: outcome.dtmf });
        }
        if (outcome.action) {
          // The call state acts once the words before it are heard (now, if they already were).
          limits.send({ type: "tool_result", action: outcome.action });
          await flush();
          return;
        }
      }
    }
  }

  async function searchTool(call: ToolCall): Promise<ToolOutcome> {
    try {
      const query = String((JSON.parse(call.arguments || "{}") as { query?: unknown }).query ?? "").trim();
      if (!query) return { result: JSON.stringify({ error: "give a query" }) };
      const hits = await retrieve(query, "tool");
      return { result: hits.length ? passagesText(hits) : "Nothing relevant was found in the knowledge base." };
    } catch (err) {
      return { result: JSON.stringify({ error: `search failed: ${(err as Error).message}` }) };
    }
  }

  function callerFinished(said: string, started: number) {
    const sttFinal = deps.now();
    const speechEnd = Math.min(lastVoiceAt || sttFinal, sttFinal);
    history.push({ role: "user", content: said });
    const callerSeq = seq++;
    const screened = deps.screen?.(said);
    // An end-call phrase starts the goodbye here, and no reply follows.
    limits.send({ type: "caller_said", text: said });
    if (screened && "end" in screened) limits.send({ type: "end", reason: screened.end, line: screened.line });
    if (!limits.ending) limits.send({ type: "agent_replying" });
    track(
      bargeIn("transcript")
        .then(() =>
          deps.recordTurn({
            seq: callerSeq,
            speaker: "caller",
            text: said,
            offsetMs: started,
            endOffsetMs: speechEnd,
            interrupted: false,
          }),
        )
        .then(() =>
          limits.ending
            ? undefined
            : screened && "say" in screened
              ? speak(fixed(screened.say))
              : reply({ speechEnd, sttFinal }),
        )
        .catch((err) => deps.log({ level: "error", msg: "turn failed", err: (err as Error).message })),
    );
  }

  // Each speech-to-text stream has a generation: errors from one already replaced are ignored.
  let sttGeneration = 0;
  const openStt = () => {
    const generation = ++sttGeneration;
    return providers.stt(
      {
        // The recogniser's own VAD hears echo and noise too: only words decide an interruption.
        onSpeechStarted: () => limits.send({ type: "caller_voice" }),
        onTranscript: ({ text, final, endOfTurn }) => {
          if (taker.isAgentEcho(text)) return;
          limits.send({ type: "caller_voice" });
          callerStartedAt ??= deps.now();
          taker.words(text, final || endOfTurn);
          if (!endOfTurn) return;
          const started = callerStartedAt;
          callerStartedAt = null;
          if (text.trim() && !limits.over) taker.utteranceEnded(text.trim(), started);
        },
        onError: (err) => void sttLost(generation, err),
      },
      { language: agent.language },
    );
  };
  /**
   * The recogniser's connection broke mid-call: a new one is opened (the caller may lose a few
   * words, and is not left talking to nobody); if none can be, the fallback line and a hang-up.
   */
  async function sttLost(generation: number, err: Error) {
    if (generation !== sttGeneration || limits.ending) return;
    sttGeneration++;
    deps.log({ level: "error", msg: "speech-to-text lost, reconnecting", err: err.message });
    void stt.close().catch(() => undefined);
    try {
      stt = await openStt();
      await deps.recordEvent("provider.error", { provider: "stt", message: err.message, recovered: true });
    } catch (again) {
      deps.log({ level: "error", msg: "speech-to-text unavailable", err: (again as Error).message });
      await deps.recordEvent("provider.error", { provider: "stt", message: (again as Error).message });
      stt = { send() {}, async close() {} };
      if (limits.ending) return;
      playout.drop();
      limits.send({ type: "end", reason: "provider_error", line: lines.fallback });
    }
  }

  let stt: SpeechToText = { send() {}, async close() {} };
  limits.send({ type: "tick" }); // a call answered with no time left says only its last line
  if (!limits.ending && agent.firstMessage.trim()) track(speak(fixed(agent.firstMessage)));
  // The greeting does not wait for the recogniser: it connects while the caller hears it (docs/decisions/0044).
  let closed = false;
  void openStt().then(
    (s) => {
      stt = s;
      if (closed) void s.close().catch(() => undefined); // connected after the call ended
    },
    async (err) => {
      if (closed) return;
      deps.log({ level: "error", msg: "speech-to-text unavailable", err: (err as Error).message });
      await deps.recordEvent("provider.error", { provider: "stt", message: (err as Error).message });
      if (!limits.ending) limits.send({ type: "end", reason: "provider_error", line: lines.fallback });
    },
  );

  return {
    /** Resolves when the reply (or greeting) in progress has been spoken. */
    settled: () => work,
    /** A 20 ms caller frame: to the recogniser, and to our own VAD for a quick barge-in. */
    audio(frame: Uint8Array) {
      stt.send(frame);
      if (taker.frame(frame)) {
        lastVoiceAt = deps.now();
        limits.send({ type: "caller_voice" });
      }
    },
    /** Twilio played everything before this mark. */
    async mark(wire: string) {
      const name = playout.heard(wire);
      if (name === null) return;
      const m = /^turn-(\d+)(?:\.(\d+))?$/.exec(name);
      const id = `turn-${m?.[1]}`;
      const turn = m && turns.get(id);
      if (!m || !turn) return;
      if (m[2] === "0") firstSentenceHeard(turn, deps.now());
      if (m[2] !== undefined)
        limits.send({ type: "mark_heard", id, units: wordCount(turn.sentences.slice(0, Number(m[2]) + 1).join(" ")) });
      else {
        await deps.recordEvent("mark.played", { name });
        limits.send({ type: "line_heard", id });
        await flush();
      }
    },
    async close() {
      taker.close();
      closed = true;
      for (const t of turns.values()) t.abort.abort();
      limits.close();
      await flush();
      await stt.close();
    },
  };
}
