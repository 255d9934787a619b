import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";
import { type StreamClaims, verifyStreamToken } from "../core/stream-token";
import { frameLatency } from "../core/telemetry/metrics";
import { fromBase64, toBase64 } from "../voice/base64";
import { createCallSession, log, type StreamDeps } from "./call-session";
import { closeSocket, gatheredSends, guarded, POLICY_VIOLATION } from "./socket";
import { scanMediaPayload } from "./twilio-media-scan";
import { outboundClear, outboundMark, outboundMediaOf, type TwilioInbound, twilioInbound } from "./twilio-messages";

export { BUSY_LINE, type StreamDeps } from "./call-session";

const START_TIMEOUT_MS = 10_000;

/**
 * One Twilio Media Stream: nothing happens until `start` carries a valid, unused stream token
 * issued for the account that signed this stream's handshake (`handshake.account`; null: the
 * platform's own). A token of one account's call never runs on another account's stream.
 */
export function handleTwilioStream(
  ws: WebSocket,
  socket: Duplex,
  deps: StreamDeps,
  handshake: { account: string | null },
) {
  let streamSid = "";
  let mediaMessage = outboundMediaOf(streamSid);
  let callSid = "";
  let inboundFrames = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const send = gatheredSends(ws, socket);
  const call = createCallSession(deps, {
    out: {
      media: (frame) => send(mediaMessage(toBase64(frame))),
      mark: (name) => send(outboundMark(streamSid, name)),
      clear: () => send(outboundClear(streamSid)),
    },
    // Closing the stream ends the <Connect><Stream>; with nothing after it, Twilio hangs up.
    end: (code, reason) => closeSocket(ws, code, reason),
    callSid: () => callSid,
  });

  const reject = (reason: string) => {
    log({ level: "warn", msg: "stream rejected", reason });
    closeSocket(ws, POLICY_VIOLATION, reason);
  };
  const startTimer = setTimeout(() => !call.started && reject("no start message"), START_TIMEOUT_MS);

  async function onStart(msg: Extract<TwilioInbound, { event: "start" }>) {
    const streamStartAt = performance.now();
    const token = msg.start.customParameters.token;
    if (!token) return reject("missing token");
    let verified: StreamClaims;
    try {
      verified = await verifyStreamToken(deps.tokenSecret, token);
    } catch (err) {
      return reject(`invalid token: ${(err as Error).message}`);
    }
    // A widget's token is for a browser socket from its page, never for a phone stream.
    if (verified.origin) return reject("invalid token: not a phone stream token");
    if ((verified.account ?? null) !== handshake.account)
      return reject("invalid token: issued for another account's stream");
    streamSid = msg.start.streamSid;
    mediaMessage = outboundMediaOf(streamSid);
    callSid = msg.start.callSid;
    clearTimeout(startTimer);
    // The edge's request id and W3C trace, so one call can be followed from its webhook to its audio.
    const { traceparent, requestId } = msg.start.customParameters;
    log({ level: "info", msg: "stream started", callSid, streamSid, callId: verified.callId, traceparent, requestId });
    if (!(await call.begin(verified, { traceparent, streamStartAt })))
      return reject("call is not waiting for a stream");
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
    if (msg.event === "connected") return call.started ? reject("connected after start") : undefined;
    if (msg.event === "start") return call.started || starting ? reject("second start") : startOnce(msg);
    if (!call.started) return reject(`${msg.event} before start`);
    if (msg.streamSid !== streamSid) return reject(`${msg.event} for another stream`);
    if (msg.event === "media") {
      inboundFrames++;
      call.audio(fromBase64(msg.media.payload));
    } else if (msg.event === "mark") await call.mark(msg.mark.name);
    else if (msg.event === "dtmf") await call.event("dtmf.received", { digit: msg.dtmf.digit });
    else if (msg.event === "stop") await call.close(call.stopReason());
  }

  let busy = 0;
  /** A well-formed media frame for this stream, handled synchronously; else null (slow path). */
  function mediaFrame(raw: string) {
    const payload = scanMediaPayload(raw, streamSid);
    if (payload === null) return null;
    inboundFrames++;
    call.audio(fromBase64(payload));
    return true;
  }

  let starting = false;
  const startOnce = (msg: Extract<TwilioInbound, { event: "start" }>) => {
    starting = true;
    return onStart(msg);
  };

  ws.on(
    "message",
    guarded(ws, (data) => {
      const raw = String(data);
      // The hot path: once the call runs and nothing is waiting, a media frame is handled at once.
      if (call.running && !busy && raw.startsWith('{"event":"media"')) {
        // One frame in 16 is timed: the distribution is the same, the clock reads are not paid 50 times a second.
        if (inboundFrames & 15) {
          if (mediaFrame(raw)) return;
        } else {
          const received = performance.now();
          if (mediaFrame(raw)) return frameLatency.observe((performance.now() - received) / 1000);
        }
      }
      // Everything else strictly in order: a stop must not overtake the start it follows.
      busy++;
      queue = queue
        .then(() => onMessage(raw))
        .finally(() => busy--)
        .catch((err) => {
          log({ level: "error", msg: "stream handler failed", err: (err as Error).message });
          closeSocket(ws, 1011, "internal error");
        });
    }),
  );
  ws.on("close", () => {
    clearTimeout(startTimer);
    queue = queue
      .then(() => call.close("stream_closed"))
      .then(() => log({ level: "info", msg: "stream ended", streamSid, inboundFrames }))
      .catch((err) => log({ level: "error", msg: "close failed", err: String(err) }));
  });
  return {
    /** Relay shutdown: ends the call cleanly (turns saved, call closed), then the stream. */
    async shutdown(reason: string, code = 1001) {
      queue = queue.then(() => call.close(reason));
      await queue.catch(() => undefined);
      closeSocket(ws, code, code === 1000 ? "call ended" : "relay shutting down");
    },
    owner: call.owner,
  };
}
