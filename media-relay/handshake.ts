/**
 * What an upgrade request asks for, read from its request target without trusting it: a phone
 * stream on the platform's Twilio account (`/twilio`) or on a tenant's account
 * (`/twilio/AC…`: Twilio's <Stream url> drops query strings, so the account is in the path), or a
 * browser call (`/widget?token=…`). Anything else, however malformed, is `unknown`: this never throws.
 */
export type Handshake =
  | { kind: "twilio"; path: string; account: string | null }
  | { kind: "widget"; token: string | null }
  | { kind: "unknown" };

const TWILIO_PATH = /^\/twilio(?:\/(AC[0-9a-f]{32}))?$/i;
const MAX_TARGET = 8 * 1024;

export function readHandshake(target: string | undefined): Handshake {
  if (!target || target.length > MAX_TARGET || target[0] !== "/") return { kind: "unknown" };
  const query = target.indexOf("?");
  const path = query === -1 ? target : target.slice(0, query);
  const twilio = TWILIO_PATH.exec(path);
  if (twilio) return { kind: "twilio", path, account: twilio[1] ?? null };
  if (path !== "/widget") return { kind: "unknown" };
  try {
    return { kind: "widget", token: new URLSearchParams(query === -1 ? "" : target.slice(query + 1)).get("token") };
  } catch {
    return { kind: "unknown" };
  }
}

/**
 * The URL Twilio signed for a stream's handshake: the stream URL as written in the TwiML, without
 * any query string (https://www.twilio.com/docs/usage/webhooks/webhooks-security). `path` is one
 * `readHandshake` accepted, so it can only ever be a path on the relay's own origin.
 */
export const signedStreamUrl = (path: string, publicUrl: string | undefined, host: string | undefined) =>
  publicUrl ? new URL(path, publicUrl).toString() : `ws://${host ?? "relay"}${path}`;
