import type { WebSocket } from "ws";

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
