import type { TranscriptLine } from "../core/testing/expectations";
import { type AgentSettings, type KnowledgePassage, startConversation, type TurnRecord } from "./conversation";
import { runTool } from "./tools";
import type { ChatMessage, LanguageModel, SttEvents, ToolCall } from "./types";

export type TextConversationResult = { transcript: TranscriptLine[]; toolCalls: ToolCall[]; endedBy: string | null };
/** The next thing the simulated caller says, given the talk so far; null: the caller is done. */
export type CallerLine = (transcript: TranscriptLine[]) => Promise<string | null>;

const TURN_DEADLINE_MS = 30_000;
const TEST_TOOL_RESULT = JSON.stringify({ ok: true, note: "Test run: the tool was not called; assume it succeeded." });

/**
 * A conversation in text through the same engine as a phone call (startConversation), with no
 * audio: the caller's lines arrive as final transcripts, the agent's sentences are "heard" at once.
 * HTTP tools are recorded, not called (a test must not book real appointments); built-ins act.
 */
export async function runTextConversation(opts: {
  llm: LanguageModel;
  agent: AgentSettings;
  caller: CallerLine;
  maxTurns: number;
  knowledge?: (q: string) => Promise<KnowledgePassage[]>;
}): Promise<TextConversationResult> {
  const turns: (TurnRecord & { speaker: TranscriptLine["speaker"] })[] = [];
  const toolCalls: ToolCall[] = [];
  let endedBy: string | null = null;
  let stt: SttEvents | undefined;
  let marks: Promise<unknown> = Promise.resolve();
  const start = Date.now();
  let conversation: Awaited<ReturnType<typeof startConversation>> | undefined;
  conversation = await startConversation({
    providers: {
      sandbox: false,
      llm: opts.llm,
      stt: async (events) => {
        stt = events;
        return { send() {}, async close() {} };
      },
      tts: {
        // No audio: the sentences are consumed and nothing is played.
        async *synthesize(text) {
          for await (const _ of text);
          yield* [];
        },
      },
    },
    agent: { ...opts.agent, silenceTimeoutSeconds: 0, maxDurationSeconds: 3600 },
    out: {
      media() {},
      clear() {},
      // Heard the moment it is "played": the mark comes straight back.
      mark(name) {
        marks = marks.then(() => conversation?.mark(name));
      },
    },
    recordTurn: async (t) => {
      turns.push(t);
    },
    recordEvent: async () => {},
    hangUp: (reason) => {
      endedBy ??= reason;
    },
    transfer: async () => {
      endedBy ??= "transferred";
    },
    runTool: async (call, tools) => {
      toolCalls.push(call);
      return tools.some((t) => t.type === "http" && t.name === call.name)
        ? { result: TEST_TOOL_RESULT }
        : runTool(call, tools);
    },
    knowledge: opts.knowledge,
    now: () => Date.now() - start,
    log: () => {},
  });
  const transcript = () => [...turns].sort((a, b) => a.seq - b.seq).map((t) => ({ speaker: t.speaker, text: t.text }));
  const settle = async () => {
    const deadline = new Promise((_, reject) =>
      setTimeout(() => reject(new Error("the agent took more than 30 s to answer")), TURN_DEADLINE_MS).unref(),
    );
    // A reply's marks finish its turn, which may start the next action: wait until both are still.
    for (let i = 0; i < 10; i++) {
      const before = turns.length;
      await Promise.race([Promise.all([conversation!.settled(), marks]), deadline]);
      await new Promise((r) => setTimeout(r, 5));
      if (turns.length === before) break;
    }
  };
  try {
    await settle();
    for (let turn = 0; turn < opts.maxTurns && !endedBy; turn++) {
      const line = await opts.caller(transcript());
      if (!line) break;
      stt!.onTranscript({ text: line, final: true, endOfTurn: true });
      await settle();
    }
  } finally {
    await conversation.close();
  }
  return { transcript: transcript(), toolCalls, endedBy };
}

/** Collects a model's streamed reply as one text (persona callers and the judge). */
export async function complete(llm: LanguageModel, messages: ChatMessage[], model: string) {
  let text = "";
  for await (const piece of llm.stream(messages, { model, temperature: 0.3, signal: AbortSignal.timeout(30_000) }))
    if (typeof piece === "string") text += piece;
  return text.trim();
}
