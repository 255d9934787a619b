import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";
import { pcm16kToMulawFrames } from "../core/audio/browser-audio";
import { parseJsonMessage } from "../core/json";
import type { StreamClaims } from "../core/stream-token";
import type { RelayMessage } from "../core/widget-protocol";
import { type AnsweredCall, createCallSession, log, type StreamDeps } from "./call-session";
import { closeSocket, gatheredSends, guarded, POLICY_VIOLATION } from "./socket";

const DEFAULT_MAX_SECONDS = 600;

/**
 * One browser call from the widget. The socket speaks a small protocol of its own (the widget is
 * ours): binary frames are audio (16 kHz PCM in, μ-law 8 kHz out), text frames are JSON control
 * messages: `mark`, `hangup` and `caller_text` (typed turns, SANDBOX recogniser only) from the page;
 * `mark`, `clear`, `ended` and `text_turns` from us.
 */
export function handleWidgetSocket(
  ws: WebSocket,
  socket: Duplex,
  deps: StreamDeps,
  claims: StreamClaims,
  answered: AnsweredCall,
) {
  const toFrames = pcm16kToMulawFrames();
  let hungUp = false;
  const send = gatheredSends(ws, socket);
  const sendJson = (msg: RelayMessage) => send(JSON.stringify(msg));
  const call = createCallSession(deps, {
    out: {
      media: (frame) => send(frame),
      mark: (name) => sendJson({ type: "mark", name }),
      clear: () => sendJson({ type: "clear" }),
    },
    end: (code, reason) => {
      sendJson({ type: "ended", reason });
      closeSocket(ws, code, reason);
    },
    web: { maxSeconds: claims.maxSeconds ?? DEFAULT_MAX_SECONDS },
  });
  const reject = (reason: string) => {
    log({ level: "warn", msg: "widget socket rejected", callId: claims.callId, reason });
    closeSocket(ws, POLICY_VIOLATION, reason);
  };
  // The socket's steps, strictly in order; a failing step ends this call, never the process.
  let queue: Promise<unknown> = Promise.resolve();
  const then = (step: () => unknown) => {
    queue = queue.then(step).catch((err) => {
      log({ level: "error", msg: "widget socket step failed", callId: claims.callId, err: String(err) });
      closeSocket(ws, 1011, "internal error");
    });
  };
  then(() =>
    call.begin(claims, { answered }).then((ok) => {
      if (!ok) reject("call is not waiting for a stream");
      else if (call.takesText) sendJson({ type: "text_turns" });
    }),
  );
  const pushAudio = (frame: Uint8Array) => call.audio(frame);

  ws.on(
    "message",
    guarded(ws, (data, isBinary) => {
      const bytes = data as Buffer;
      if (isBinary) {
        if (call.running) toFrames(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), pushAudio);
        return;
      }
      const msg = parseJsonMessage(data) as { type?: unknown; name?: unknown; text?: unknown } | null | undefined;
      if (typeof msg !== "object" || msg === null) return reject("message is not a JSON object");
      if (msg.type === "mark" && typeof msg.name === "string") {
        const name = msg.name;
        then(() => call.mark(name));
      } else if (msg.type === "caller_text") {
        const text = msg.text;
        then(() => call.callerText(text) || reject("typed turns are for sandbox calls, 1-500 characters"));
      } else if (msg.type === "hangup") {
        hungUp = true;
        then(() => call.close("caller_hung_up"));
      } else
        reject(
          `unknown message ${typeof msg.type === "string" ? JSON.stringify(msg.type.slice(0, 30)) : typeof msg.type}`,
        );
    }),
  );
  ws.on("close", () => then(() => call.close(hungUp ? "caller_hung_up" : "stream_closed")));
  return {
    async shutdown(reason: string, code = 1001) {
      then(() => call.close(reason));
      await queue;
      closeSocket(ws, code, code === 1000 ? "call ended" : "relay shutting down");
    },
    owner: call.owner,
  };
}
