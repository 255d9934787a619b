import { type Context, context as otelContext } from "@opentelemetry/api";
import type { PiiCipher } from "../core/crypto/pii";
import { type Embedder, sandboxEmbedder } from "../core/knowledge/embeddings";
import type { StreamClaims } from "../core/stream-token";
import { fieldLogger, serviceLogger } from "../core/telemetry";
import { activeCalls, callsEnded, callWriteRetries, firstAudio, frameTally } from "../core/telemetry/metrics";
import { contextFrom, failSpan, type Span, SpanKind, trace, tracer } from "../core/telemetry/tracing";
import { fillTemplate } from "../core/template";
import { untilWritten } from "../db/connection-errors";
import { tenantPlan } from "../db/queries/billing";
import { answerCall, closeCall, recordScreened } from "../db/queries/call-lifecycle";
import type { EventRecord, TurnRecord } from "../db/queries/call-records";
import { knowledgeLookup } from "../db/queries/knowledge-search";
import type { Db } from "../db/tenant";
import { openToolHeaders } from "../db/tool-headers";
import { startConversation } from "../voice/conversation";
import type { LineCache } from "../voice/greeting-cache";
import { instrumented } from "../voice/instrumented";
import { type RealtimeOptions, startRealtimeConversation } from "../voice/realtime";
import { screeningTurns } from "../voice/screening-turn";
import { speakTurn } from "../voice/speaker";
import { typedTurns } from "../voice/typed-turns";
import type { VoiceProviders } from "../voice/types";
import { callDeadlines } from "./call-deadlines";
import type { CallRecords } from "./call-records";
import type { CallSlots } from "./call-slots";
import { withGreetingCache } from "./greeting";
import type { Transfer } from "./twilio-rest";

const contextWith = <T>(ctx: Context, fn: () => T) => otelContext.with(ctx, fn);

export const log = fieldLogger(serviceLogger("relay"));

export type StreamDeps = {
  db: Db;
  tokenSecret: string;
  /** The providers for a call: the platform's, or the tenant's own keys. */
  providersFor: (tenantId: string) => Promise<VoiceProviders>;
  /** The realtime model for speech-to-speech agents; null when no OpenAI key is configured. */
  realtimeFor: (tenantId: string) => Promise<RealtimeOptions | null>;
  transfer: Transfer;
  slots: CallSlots;
  /** The relay's group commit of call turns and events. */
  records: CallRecords;
  allowToolAddresses?: string[];
  /** Embeds a caller's question for knowledge retrieval (absent: SANDBOX embeddings). */
  embedderFor?: (tenantId: string) => Promise<Embedder>;
  /** Opens the agent's HTTP tools' header values (absent: encrypted ones are left out). */
  pii?: PiiCipher;
  /** The relay's rendered greetings (absent: each greeting goes to TTS). */
  lines?: LineCache;
};
export { BUSY_LINE } from "../core/billing/plans";

import { BUSY_LINE } from "../core/billing/plans";

/** Twilio records a phone call from its first second, so the caller hears the disclosure before anything else. */
const withDisclosure = (
  firstMessage: string,
  agent: { recordCalls: boolean; recordingDisclosure: string | null } | null,
) => {
  const disclosure = agent?.recordCalls ? agent.recordingDisclosure?.trim() : "";
  return disclosure ? [disclosure, firstMessage].filter(Boolean).join(" ") : firstMessage;
};
/** A call its transport answered already (a browser socket is answered before its upgrade). */
export type AnsweredCall = NonNullable<Awaited<ReturnType<typeof answerCall>>>;
type Conversation = Omit<Awaited<ReturnType<typeof startConversation>>, "settled">;
type Out = { media(frame: Uint8Array): void; mark(name: string): void; clear(): void };

/**
 * One call, whatever carries its audio (a Twilio Media Stream or a browser socket): answers the
 * call once, runs the conversation, writes its record off the audio path, and closes it once.
 */
export function createCallSession(
  deps: StreamDeps,
  io: { out: Out; end(code: number, reason: string): void; callSid?: () => string; web?: { maxSeconds: number } },
) {
  let claims: StreamClaims | undefined;
  let conversation: Conversation | undefined;
  /** A browser call with the SANDBOX recogniser takes typed caller turns (voice/typed-turns.ts). */
  let typed: ((text: unknown) => boolean) | null = null;
  let transferred = false;
  let holdsSlot = false;
  /** When this mark comes back the call ends (a last line, busy or voicemail, has been heard). */
  let hangUpAfter: { mark: string; reason: string } | null = null;
  let startedAt = 0;
  let span: Span | undefined;
  let traceCtx: Context | undefined;
  const transport = io.web ? "web" : "twilio";
  let closing: Promise<unknown> | undefined;
  let ended: Promise<unknown> = Promise.resolve();
  // Database writes of this call, in order, off the audio path: a slow insert never delays a frame,
  // and a database that is away for a while delays them without losing them (db/connection-errors).
  // Turns and events go through the relay's group commit (call-records.ts); `writes` is the last.
  let writes: Promise<unknown> = Promise.resolve();
  const durably = <T>(write: () => Promise<T>) =>
    untilWritten(() => (traceCtx ? contextWith(traceCtx, write) : write()), {
      onRetry(err, attempt) {
        callWriteRetries.inc();
        if (attempt === 1)
          log({
            level: "warn",
            msg: "database away: call write will be retried",
            callId: claims?.callId,
            err: String(err),
          });
      },
    });
  const persist = (written: Promise<void>) => {
    writes = written;
    return Promise.resolve();
  };
  const turn = (tenantId: string, t: TurnRecord) => persist(deps.records.turn(tenantId, t));
  const event = (tenantId: string, e: EventRecord) => persist(deps.records.event(tenantId, e));
  // The call's outcome written when a screening assistant is heard: the close waits for it, so a
  // campaign settling on Twilio's last status reads it.
  let screenedWrite: Promise<unknown> = Promise.resolve();

  const close = (reason: string) => {
    if (!claims || closing) return closing;
    const c = claims;
    const endedAt = new Date();
    closing = (async () => {
      await conversation
        ?.close()
        .catch((err) => log({ level: "error", msg: "conversation close failed", err: String(err) }));
      activeCalls.dec({ transport });
      callsEnded.inc({ reason });
      await writes;
      await screenedWrite;
      if (holdsSlot)
        await deps.slots.release(c.tenantId, c.callId).catch((err) =>
          log({
            level: "warn",
            msg: "slot release failed (it expires by itself)",
            callId: c.callId,
            err: String(err),
          }),
        );
      try {
        const closed = await durably(() =>
          closeCall(deps.db, { tenantId: c.tenantId, callId: c.callId, reason, endedAt }),
        );
        log({ level: "info", msg: "call closed", callId: c.callId, reason, closed: Boolean(closed) });
      } catch (err) {
        failSpan(span!, err);
        log({ level: "error", msg: "call close failed", callId: c.callId, reason, err: String(err) });
      } finally {
        span?.setAttribute("bvrai.end_reason", reason);
        span?.end();
      }
    })();
    return closing;
  };
  /**
   * The record is closed before the stream: Twilio then asks the edge what next, and a call found
   * closed there simply hangs up (an open one lost its relay, and hears an apology). A database
   * that does not answer in 3 s does not keep the caller on dead air; the close goes on behind.
   */
  const closeThenEnd = async (reason: string) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([close(reason), new Promise((r) => (timer = setTimeout(r, 3000)))]);
    clearTimeout(timer);
    io.end(1000, "call ended");
  };
  const hangUp = (reason: string) => {
    ended = ended.then(() => closeThenEnd(reason));
  };

  /**
   * Answers the call of a verified token (unless its transport already has: `answered`); false if it
   * was already answered, since tokens are single-use. Answering comes first: a replayed token
   * never reaches the live call's concurrency slot.
   */
  async function begin(
    verified: StreamClaims,
    hop: { traceparent?: string; answered?: AnsweredCall; streamStartAt?: number } = {},
  ): Promise<boolean> {
    const parent = contextFrom(hop.traceparent);
    const callSpan = tracer("relay").startSpan(
      "call",
      {
        kind: SpanKind.SERVER,
        attributes: {
          "bvrai.call_id": verified.callId,
          "bvrai.tenant_id": verified.tenantId,
          "bvrai.transport": transport,
        },
      },
      parent,
    );
    traceCtx = trace.setSpan(parent, callSpan);
    const streamStartAt = hop.streamStartAt ?? performance.now();
    return contextWith(traceCtx, () => answer(verified, callSpan, streamStartAt, hop.answered));
  }
  async function answer(
    verified: StreamClaims,
    callSpan: Span,
    streamStartAt: number,
    answered?: AnsweredCall,
  ): Promise<boolean> {
    const agent = answered ?? (await answerCall(deps.db, verified));
    if (!agent) {
      callSpan.setAttribute("bvrai.end_reason", "already_answered");
      callSpan.end();
      return false;
    }
    // Independent reads, together: the greeting waits for the slowest of them, not for their sum.
    const [plan, tenantProviders] = await Promise.all([
      tenantPlan(deps.db, verified),
      deps.providersFor(verified.tenantId),
    ]);
    const slot = await deps.slots.acquire(verified.tenantId, verified.callId, plan.limits.concurrentCalls);
    holdsSlot = slot;
    claims = verified;
    span = callSpan;
    startedAt = Date.now();
    activeCalls.inc({ transport });
    const firstMessage = withDisclosure(fillTemplate(agent.firstMessage, agent.variables), io.web ? null : agent);
    const greeting = await withGreetingCache(deps.lines, instrumented(tenantProviders, traceCtx!), {
      tenantId: verified.tenantId,
      voice: agent.voice,
      template: withDisclosure(agent.firstMessage, io.web ? null : agent),
      spoken: firstMessage,
    });
    const typing = io.web ? typedTurns(greeting.providers) : { providers: greeting.providers, say: null };
    const { providers } = typing;
    typed = typing.say;
    log({
      level: "info",
      msg: "stream started",
      callId: verified.callId,
      tenantId: verified.tenantId,
      sandbox: providers.sandbox,
      web: Boolean(io.web),
    });
    const owner = { tenantId: verified.tenantId, callId: verified.callId };
    let loadedMs = 0;
    let heard = false;
    const out = {
      ...io.out,
      media(frame: Uint8Array) {
        frameTally.out++;
        io.out.media(frame);
        if (!heard) firstHeard();
      },
    };
    /** The stream's `start` → the call's first audio out: what the caller waits through (docs/decisions/0044). */
    const firstHeard = () => {
      heard = true;
      const ms = Math.round(performance.now() - streamStartAt);
      const cached = greeting.served() === "cache";
      firstAudio.observe({ transport, cache: cached ? "hit" : "miss" }, ms / 1000);
      void event(owner.tenantId, { ...owner, type: "call.first_audio", payload: { ms, loadedMs, cached } });
    };
    /** Says one line in the agent's voice, then the call ends (with `reason`) once it has been heard. */
    const sayAndEnd = async (text: string, reason: string) => {
      hangUpAfter = { mark: "turn-0", reason };
      const turn = { seq: 0, startedAt: 0, sentences: [], abort: new AbortController() };
      const line = {
        [Symbol.asyncIterator]: async function* () {
          yield text;
        },
      };
      await speakTurn(turn, line, {
        tts: providers.tts,
        voice: agent.voice,
        out,
        now: () => Date.now() - startedAt,
      }).catch(() => hangUp(reason));
      return true;
    };
    if (!slot) {
      log({ level: "warn", msg: "tenant at its concurrent-call limit", ...owner });
      await event(owner.tenantId, { ...owner, type: "call.rejected", payload: { reason: "concurrency_limit" } });
      return sayAndEnd(BUSY_LINE, "concurrency_limit");
    }
    if (verified.voicemail && agent.voicemailMessage) {
      const message = fillTemplate(agent.voicemailMessage, agent.variables);
      await turn(owner.tenantId, { ...owner, seq: 0, speaker: "agent", text: message, offsetMs: 0 });
      await event(owner.tenantId, { ...owner, type: "voicemail.left" });
      return sayAndEnd(message, "voicemail");
    }
    const realtime = agent.mode === "speech_to_speech" ? await deps.realtimeFor(verified.tenantId) : null;
    if (agent.mode === "speech_to_speech" && !realtime)
      log({
        level: "warn",
        msg: "speech-to-speech needs an OpenAI key: SANDBOX cascade instead",
        callId: verified.callId,
      });
    const start = (d: Parameters<typeof startConversation>[0]) =>
      realtime ? startRealtimeConversation(d, realtime) : startConversation(d);
    // A browser call has no phone leg: nothing to transfer, no keypad to press.
    const usable = io.web
      ? agent.tools.filter((t) => t.type !== "transfer_call" && t.type !== "send_dtmf")
      : agent.tools;
    const [embedder, tools, limits] = await Promise.all([
      // The embedder (and the tenant's key behind it) is chosen once per call, not on every turn.
      agent.knowledgeBaseIds.length ? deps.embedderFor?.(verified.tenantId) : undefined,
      // HTTP tools' header values are stored encrypted: opened here, where the tools are called, and nowhere else.
      openToolHeaders(deps.pii, { tenantId: verified.tenantId, tools: usable }, (tool, header) =>
        log({
          level: "warn",
          msg: "a tool header does not decrypt here: the tool is called without it",
          callId: verified.callId,
          tool,
          header,
        }),
      ),
      // Beyond the agent's maximum length: the web session's length and a trial's minutes (docs/decisions/0028).
      callDeadlines(deps.db, owner, { web: io.web, now: () => Date.now() - startedAt, log }),
    ]);
    const knowledge = agent.knowledgeBaseIds.length
      ? knowledgeLookup(deps.db, embedder ?? sandboxEmbedder, {
          tenantId: verified.tenantId,
          knowledgeBaseIds: agent.knowledgeBaseIds,
        })
      : undefined;
    const screen =
      agent.screening && !io.web
        ? screeningTurns(agent.screening, agent, (match, action) => {
            log({ level: "info", msg: "call-screening assistant answered", ...owner, action, ...match });
            screenedWrite = durably(() => recordScreened(deps.db, { ...owner, ...match, action })).catch((err) =>
              log({ level: "error", msg: "screening outcome not recorded", ...owner, err: String(err) }),
            );
          })
        : undefined;
    loadedMs = Math.round(performance.now() - streamStartAt);
    try {
      conversation = await start({
        providers,
        agent: {
          ...agent,
          systemPrompt: fillTemplate(agent.systemPrompt, agent.variables),
          firstMessage,
          tools,
          temperature: Number(agent.temperature),
          interruptionSensitivity: Number(agent.interruptionSensitivity),
        },
        out,
        recordTurn: (t) => turn(owner.tenantId, { ...owner, ...t }),
        transfer: async (request) => {
          await deps.transfer(io.callSid?.() ?? "", { ...request, callId: verified.callId });
          transferred = true;
        },
        allowToolAddresses: deps.allowToolAddresses,
        knowledge,
        limits,
        hangUp,
        screen,
        recordEvent: (type, payload) => event(owner.tenantId, { ...owner, type, payload }),
        now: () => Date.now() - startedAt,
        log: (fields) => log({ callId: verified.callId, ...fields }),
      });
    } catch (err) {
      // The provider would not even connect (bad key, outage): say so in the record and end cleanly.
      log({
        level: "error",
        msg: "conversation could not start",
        callId: verified.callId,
        err: (err as Error).message,
      });
      await event(owner.tenantId, { ...owner, type: "provider.error", payload: { message: (err as Error).message } });
      hangUp("provider_error");
    }
    return true;
  }

  return {
    begin,
    close,
    /** The call this session carries, once its token was verified. */
    owner: () => (claims ? { tenantId: claims.tenantId, callId: claims.callId } : undefined),
    /** The close reason when the far end stops the stream. */
    stopReason: () => (transferred ? "transferred" : "stream_stopped"),
    get started() {
      return Boolean(claims);
    },
    get running() {
      return Boolean(conversation);
    },
    audio: (frame: Uint8Array) => {
      frameTally.in++;
      conversation?.audio(frame);
    },
    /** Whether typed caller turns are taken (a browser call, SANDBOX recogniser, conversation running). */
    get takesText() {
      return Boolean(typed && conversation);
    },
    /** A typed caller turn; false if this call takes none or the text is not one (dropped once the call is ending). */
    callerText: (text: unknown) => Boolean(closing ? typed : conversation && typed?.(text)),
    async mark(name: string) {
      if (name !== hangUpAfter?.mark) return conversation?.mark(name);
      await closeThenEnd(hangUpAfter.reason);
    },
    event: (type: string, payload: Record<string, unknown>) =>
      event(claims!.tenantId, { callId: claims!.callId, type, payload }),
    /** Waits for a hang-up in progress (the close and the end of the transport). */
    settled: () => ended,
  };
}
