const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const OPEN = 123;
const CLOSE = 125;
// What JSON.parse refuses inside a string, and what would need unescaping: such a message takes the slow path.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
const UNUSUAL = /[\u0000-\u001f\\]/;

const isKey = (raw: string, from: number, to: number, name: string) =>
  to - from === name.length && raw.startsWith(name, from);

/**
 * The audio of a Twilio `media` message for `streamSid`, read without building the message: 50
 * times a second a call, JSON.parse's objects cost more than the rest of the frame's path. Only
 * the compact shape Twilio sends is read here (string values, one `media` object, no escapes, no
 * whitespace); anything else gives null and takes the full parse and its checks.
 * Whatever this accepts, JSON.parse and the message schema accept with the same payload
 * (twilio-media-scan.test.ts).
 */
export function scanMediaPayload(raw: string, streamSid: string): string | null {
  const last = raw.length - 1;
  if (raw.charCodeAt(0) !== OPEN || raw.charCodeAt(last) !== CLOSE || UNUSUAL.test(raw)) return null;
  let event: string | null = null;
  let sid: string | null = null;
  let payload: string | null = null;
  let inMedia = false;
  let sawMedia = false;
  for (let at = 1; ; ) {
    if (raw.charCodeAt(at) !== QUOTE) return null;
    const keyEnd = raw.indexOf('"', at + 1);
    if (keyEnd < 0 || raw.charCodeAt(keyEnd + 1) !== COLON) return null;
    const keyFrom = at + 1;
    at = keyEnd + 2;
    if (raw.charCodeAt(at) === OPEN) {
      if (inMedia || sawMedia || !isKey(raw, keyFrom, keyEnd, "media")) return null;
      inMedia = sawMedia = true;
      at++;
      continue;
    }
    if (raw.charCodeAt(at) !== QUOTE) return null;
    const valueEnd = raw.indexOf('"', at + 1);
    if (valueEnd < 0) return null;
    // A key given twice: the last value wins, as in JSON.parse.
    if (inMedia) {
      if (isKey(raw, keyFrom, keyEnd, "payload")) payload = raw.slice(at + 1, valueEnd);
    } else if (isKey(raw, keyFrom, keyEnd, "event")) event = raw.slice(at + 1, valueEnd);
    else if (isKey(raw, keyFrom, keyEnd, "streamSid")) sid = raw.slice(at + 1, valueEnd);
    else if (isKey(raw, keyFrom, keyEnd, "media")) return null;
    at = valueEnd + 1;
    if (inMedia && raw.charCodeAt(at) === CLOSE) {
      inMedia = false;
      at++;
    }
    if (at === last) break; // the outer object's close: a `media` left open would have closed just above
    if (raw.charCodeAt(at) !== COMMA) return null;
    at++;
  }
  return sawMedia && event === "media" && sid === streamSid ? payload : null;
}
