import type { Duplex } from "node:stream";
import type { RawData, WebSocket } from "ws";
import { log } from "./call-session";

export const POLICY_VIOLATION = 1008;
const MAX_REASON_BYTES = 123;

/**
 * Closes a socket with a reason, which WebSocket caps at 123 bytes (RFC 6455 §5.5: a control
 * frame's payload is at most 125 bytes, two of them the code); `ws` throws on a longer one, so
 * a reason built from a peer's input is cut to fit, at a character boundary.
 */
export const closeSocket = (ws: WebSocket, code: number, reason: string) => ws.close(code, closeReason(reason));

export function closeReason(reason: string) {
  let fitted = reason.slice(0, MAX_REASON_BYTES);
  while (Buffer.byteLength(fitted) > MAX_REASON_BYTES) fitted = fitted.slice(0, -1);
  return fitted;
}

/**
 * A socket's message listener that cannot throw: a bug that one peer's message trips ends that
 * peer's socket (1011), never the process and the other calls on it.
 */
export function guarded(ws: WebSocket, onMessage: (data: RawData, isBinary: boolean) => void) {
  return (data: RawData, isBinary: boolean) => {
    try {
      onMessage(data, isBinary);
    } catch (err) {
      log({ level: "error", msg: "socket message handler failed", err: String(err) });
      closeSocket(ws, 1011, "internal error");
    }
  };
}

/**
 * A socket's sends, gathered: what one turn of the event loop sends (a TTS chunk is 25 frames)
 * leaves in one write to the kernel instead of one each. `socket` is the connection `ws` writes to.
 */
export function gatheredSends(ws: WebSocket, socket: Duplex) {
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  return (data: string | Uint8Array) => {
    if (ws.readyState !== ws.OPEN) return;
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    ws.send(data, { binary: typeof data !== "string" });
  };
}
