import type { WebSocket } from "ws";
import { type StreamClaims, verifyStreamToken } from "../core/stream-token";
import { addCallEvent, addTurn, answerCall, closeCall } from "../db/queries/call-lifecycle";
import type { Db } from "../db/tenant";
import { fromBase64, toBase64 } from "./base64";
import { type TwilioInbound, outboundClear, outboundMark, outboundMedia, twilioInbound } from "./twilio-messages";
import type { CallSlots } from "./call-slots";
import type { Transfer } from "./twilio-rest";
import { speakTurn } from "./voice/speaker";
import { startConversation } from "./voice/conversation";
import { type RealtimeOptions, startRealtimeConversation } from "./voice/realtime";
import type { VoiceProviders } from "./voice/types";

export const POLICY_VIOLATION = 1008;
const START_TIMEOUT_MS = 10_000;
const log = (fields: Record<string, unknown>) => console.log(JSON.stringify({ service: "relay", ...fields }));

export type StreamDeps = {
  db: Db;
  tokenSecret: string;
  /** The providers for a call: the platform's, or the tenant's own keys. */
  providersFor: (tenantId: string) => Promise<VoiceProviders>;
  /** The realtime model for speech-to-speech agents; null when no OpenAI key is configured. */
  realtimeFor: (tenantId: string) => Promise<RealtimeOptions | null>;
  transfer: Transfer;
  slots: CallSlots;
  allowToolAddresses?: string[];
};
export const BUSY_LINE = "Sorry, all our lines are busy right now. Please call back in a few minutes. Goodbye.";
type Conversation = Awaited<ReturnType<typeof startConversation>>;

/** One Twilio Media Stream: nothing happens until `start` carries a valid, unused stream token. */
export function handleTwilioStream(ws: WebSocket, deps: StreamDeps) {
  let claims: StreamClaims | undefined;
  let conversation: Conversation | undefined;
  let streamSid = "";
  let callSid = "";
  let transferred = false;
  let holdsSlot = false;
  /** When this mark comes back the call ends (the busy line has been heard). */
  let hangUpAfterMark: string | null = null;
  let startedAt = 0;
  let inboundFrames = 0;
  let closing: Promise<unknown> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  // Database writes of this call, in order, off the audio path: a slow insert never delays a frame.
  let writes: Promise<unknown> = Promise.resolve();
  const persist = (write: () => Promise<unknown>) => {
    writes = writes
      .then(write)
      .catch((err) => log({ level: "error", msg: "call write failed", callId: claims?.callId, err: String(err) }));
    return Promise.resolve();
  };

  const reject = (reason: string) => {
    log({ level: "warn", msg: "stream rejected", reason });
    ws.close(POLICY_VIOLATION, reason);
  };
  const startTimer = setTimeout(() => !claims && reject("no start message"), START_TIMEOUT_MS);

  const close = (reason: string) => {
    if (!claims || closing) return closing;
    const c = claims;
    closing = (async () => {
      await conversation
        ?.close()
        .catch((err) => log({ level: "error", msg: "conversation close failed", err: String(err) }));
      await writes;
      if (holdsSlot) await deps.slots.release(c.tenantId, c.callId);
      const closed = await closeCall(deps.db, { tenantId: c.tenantId, callId: c.callId, reason });
      log({ level: "info", msg: "call closed", callId: c.callId, reason, closed: Boolean(closed), inboundFrames });
    })();
    return closing;
  };

  async function onStart(msg: Extract<TwilioInbound, { event: "start" }>) {
    const token = msg.start.customParameters.token;
    if (!token) return reject("missing token");
    let verified: StreamClaims;
    try {
      verified = await verifyStreamToken(deps.tokenSecret, token);
    } catch (err) {
      return reject(`invalid token: ${(err as Error).message}`);
    }
    const slot = await deps.slots.acquire(verified.tenantId, verified.callId);
    const agent = await answerCall(deps.db, verified);
    if (!agent) {
      if (slot) await deps.slots.release(verified.tenantId, verified.callId);
      return reject("call is not waiting for a stream");
    }
    holdsSlot = slot;
    claims = verified;
    streamSid = msg.start.streamSid;
    callSid = msg.start.callSid;
    startedAt = Date.now();
    clearTimeout(startTimer);
    const providers = await deps.providersFor(verified.tenantId);
    log({
      level: "info",
      msg: "stream started",
      callId: verified.callId,
      tenantId: verified.tenantId,
      sandbox: providers.sandbox,
    });
    const owner = { tenantId: verified.tenantId, callId: verified.callId };
    const send = (data: string) => ws.readyState === ws.OPEN && ws.send(data);
    const out = {
      media: (frame: Uint8Array) => send(outboundMedia(streamSid, toBase64(frame))),
      mark: (name: string) => send(outboundMark(streamSid, name)),
      clear: () => send(outboundClear(streamSid)),
    };
    const hangUp = (reason: string) => {
      // Closing the stream ends the <Connect><Stream>; with nothing after it, Twilio hangs up.
      queue = queue.then(() => close(reason)).then(() => ws.close(1000, "call ended"));
    };
    if (!slot) {
      log({
        level: "warn",
        msg: "tenant at its concurrent-call limit",
        callId: verified.callId,
        tenantId: verified.tenantId,
      });
      await persist(() =>
        addCallEvent(deps.db, { ...owner, type: "call.rejected", payload: { reason: "concurrency_limit" } }),
      );
      hangUpAfterMark = "turn-0";
      const turn = { seq: 0, startedAt: 0, sentences: [], heard: 0, abort: new AbortController(), done: false };
      const line = {
        [Symbol.asyncIterator]: async function* () {
          yield BUSY_LINE;
        },
      };
      await speakTurn(turn, line, {
        tts: providers.tts,
        voice: agent.voice,
        out,
        now: () => Date.now() - startedAt,
      }).catch(() => hangUp("concurrency_limit"));
      return;
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
    const conversationDeps: Parameters<typeof startConversation>[0] = {
      providers,
      agent: {
        ...agent,
        temperature: Number(agent.temperature),
        interruptionSensitivity: Number(agent.interruptionSensitivity),
      },
      out,
      recordTurn: (t) => persist(() => addTurn(deps.db, { ...owner, ...t })),
      transfer: async (number) => {
        await deps.transfer(callSid, number);
        transferred = true;
      },
      allowToolAddresses: deps.allowToolAddresses,
      hangUp,
      recordEvent: (type, payload) => persist(() => addCallEvent(deps.db, { ...owner, type, payload })),
      now: () => Date.now() - startedAt,
      log: (fields) => log({ callId: verified.callId, ...fields }),
    };
    try {
      conversation = await start(conversationDeps);
    } catch (err) {
      // The provider would not even connect (bad key, outage): say so in the record and end cleanly.
      log({
        level: "error",
        msg: "conversation could not start",
        callId: verified.callId,
        err: (err as Error).message,
      });
      await persist(() =>
        addCallEvent(deps.db, { ...owner, type: "provider.error", payload: { message: (err as Error).message } }),
      );
      hangUp("provider_error");
    }
  }

  /**
   * Twilio's order is connected → start → media/dtmf/mark… → stop. Anything malformed or out of
   * that order closes this one connection with the reason logged; other calls never notice.
   */
  async function onMessage(raw: string) {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return reject("message is not JSON");
    }
    const parsed = twilioInbound.safeParse(json);
    if (!parsed.success) {
      const event = (json as { event?: unknown } | null)?.event;
      return reject(
        typeof event === "string" ? `malformed or unknown "${event.slice(0, 20)}" message` : "message without an event",
      );
    }
    const msg = parsed.data;
    if (msg.event === "connected") return claims ? reject("connected after start") : undefined;
    if (msg.event === "start") return claims || starting ? reject("second start") : startOnce(msg);
    if (!claims) return reject(`${msg.event} before start`);
    if (msg.streamSid !== streamSid) return reject(`${msg.event} for another stream`);
    if (msg.event === "media") {
      inboundFrames++;
      conversation?.audio(fromBase64(msg.media.payload));
    } else if (msg.event === "mark") {
      if (msg.mark.name === hangUpAfterMark) {
        await close("concurrency_limit");
        ws.close(1000, "call ended");
      } else await conversation?.mark(msg.mark.name);
    } else if (msg.event === "dtmf")
      await persist(() =>
        addCallEvent(deps.db, { ...claims!, type: "dtmf.received", payload: { digit: msg.dtmf.digit } }),
      );
    else if (msg.event === "stop") await close(transferred ? "transferred" : "stream_stopped");
  }

  let busy = 0;
  /** A well-formed media frame for this stream, handled synchronously; else null (slow path). */
  function mediaFrame(raw: string) {
    let msg: { streamSid?: unknown; media?: { payload?: unknown } };
    try {
      msg = JSON.parse(raw);
    } catch {
      return null;
    }
    if (msg.streamSid !== streamSid || typeof msg.media?.payload !== "string") return null;
    inboundFrames++;
    conversation!.audio(fromBase64(msg.media.payload));
    return true;
  }

  let starting = false;
  const startOnce = (msg: Extract<TwilioInbound, { event: "start" }>) => {
    starting = true;
    return onStart(msg);
  };

  ws.on("message", (data) => {
    const raw = String(data);
    // The hot path: once the call runs and nothing is waiting, a media frame is handled at once.
    if (conversation && !busy && raw.startsWith('{"event":"media"')) {
      if (mediaFrame(raw)) return;
    }
    // Everything else strictly in order: a stop must not overtake the start it follows.
    busy++;
    queue = queue
      .then(() => onMessage(raw))
      .finally(() => busy--)
      .catch((err) => {
        log({ level: "error", msg: "stream handler failed", err: (err as Error).message });
        ws.close(1011, "internal error");
      });
  });
  ws.on("close", () => {
    clearTimeout(startTimer);
    queue = queue
      .then(() => close("stream_closed"))
      .catch((err) => log({ level: "error", msg: "close failed", err: String(err) }));
  });
  return {
    /** Relay shutdown: ends the call cleanly (turns saved, call closed), then the stream. */
    async shutdown(reason: string) {
      queue = queue.then(() => close(reason));
      await queue.catch(() => undefined);
      ws.close(1001, "relay shutting down");
    },
  };
}
