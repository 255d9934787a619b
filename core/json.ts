/**
 * JSON from a peer (a provider's socket, a browser, Twilio): malformed text is `undefined`, never
 * a throw, so a bad message inside an event listener cannot become an uncaught exception.
 */
export function parseJsonMessage(raw: unknown): unknown {
  try {
    return JSON.parse(String(raw));
  } catch {
    return undefined;
  }
}
