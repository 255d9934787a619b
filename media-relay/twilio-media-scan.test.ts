import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scanMediaPayload } from "./twilio-media-scan";
import { outboundMediaOf, twilioInbound } from "./twilio-messages";

const SID = "MZ18ad3ab5a668481ce02b83e7395059f0";

/** What the slow path reads from a message: the payload of a valid media message for SID, else null. */
function parsedPayload(raw: string): string | null {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const msg = twilioInbound.safeParse(json);
  if (!msg.success || msg.data.event !== "media" || msg.data.streamSid !== SID) return null;
  return msg.data.media.payload;
}

const base64 = fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString("base64"));
const anyText = fc.string({ unit: "binary", maxLength: 12 });
// Twilio's media message (https://www.twilio.com/docs/voice/media-streams/websocket-messages#media-message),
// its keys in any order, with extra keys and odd values now and then.
const mediaMessage = fc
  .record({
    event: fc.oneof(fc.constant("media"), anyText),
    sequenceNumber: fc.oneof(fc.nat().map(String), fc.nat()),
    streamSid: fc.oneof({ weight: 5, arbitrary: fc.constant(SID) }, { weight: 1, arbitrary: anyText }),
    media: fc.record(
      {
        track: fc.constant("inbound"),
        chunk: fc.nat().map(String),
        timestamp: fc.nat().map(String),
        payload: fc.oneof({ weight: 5, arbitrary: base64 }, { weight: 1, arbitrary: anyText }),
      },
      { requiredKeys: [] },
    ),
    extra: fc.dictionary(anyText, fc.oneof(anyText, fc.nat(), fc.constant(null)), { maxKeys: 2 }),
  })
  .chain(({ extra, ...msg }) =>
    fc
      .shuffledSubarray(Object.entries({ ...msg, ...extra }), { minLength: 1 })
      .map((e) => JSON.stringify(Object.fromEntries(e))),
  );

/** Whatever the scanner reads from these messages, the full parse reads the same. */
const neverDisagrees = (messages: fc.Arbitrary<string>, numRuns: number) =>
  fc.assert(
    fc.property(messages, (raw) => {
      const scanned = scanMediaPayload(raw, SID);
      if (scanned !== null) expect(scanned).toBe(parsedPayload(raw));
    }),
    { numRuns },
  );

/** Twilio's shape: every value a string, but `media`, an object of strings. */
const stringsOnly = (msg: Record<string, unknown>) =>
  Object.entries(msg).every(([key, value]) =>
    key === "media"
      ? typeof value === "object" && value !== null && Object.values(value).every((v) => typeof v === "string")
      : typeof value === "string",
  );

// Raw members, valid and not: repeated keys, escapes, control characters, whitespace, other types.
const topMember = fc.constantFrom(
  '"event":"media"',
  '"event":"mark"',
  `"streamSid":"${SID}"`,
  '"streamSid":"MZother"',
  '"sequenceNumber":"7"',
  '"sequenceNumber":7',
  '"media":"x"',
  '"media":{"track":"inbound"}',
  '"event" :"media"',
  `"streamSid":"${SID}\u0000"`,
  '"note":"a\\"b"',
  '"note":"\\"payload\\":\\"QkJC\\""',
  '"note":"tab\there"',
  '"note":"raw\u0001control"',
);
const mediaMember = fc.constantFrom(
  '"payload":"AAAA"',
  '"payload":"QkJC"',
  '"payload":"QkJC="',
  '"payload":"not base64!"',
  '"payload":1',
  '"track":"inbound"',
  '"track":"\\"payload\\":\\"QkJC"',
  '"track":"x\u0002y"',
  '"media":{"payload":"AAAA"}',
);
const composed = fc
  .tuple(fc.array(topMember, { maxLength: 5 }), fc.array(mediaMember, { maxLength: 4 }), fc.nat(5), fc.boolean())
  .map(([top, inner, at, media]) => {
    const members: string[] = [...top];
    if (media) members.splice(at, 0, `"media":{${inner.join(",")}}`);
    return `{${members.join(",")}}`;
  });

describe("reading a media message without parsing it", () => {
  it("reads Twilio's own message", () => {
    const raw = `{"event":"media","sequenceNumber":"3","media":{"track":"inbound","chunk":"1","timestamp":"5","payload":"no+JhoaJjpzSHxAKBgYJ"},"streamSid":"${SID}"}`;
    expect(scanMediaPayload(raw, SID)).toBe("no+JhoaJjpzSHxAKBgYJ");
    expect(scanMediaPayload(raw, "MZother")).toBeNull();
  });

  it("never reads a payload the full parse would not, for messages in Twilio's shape and near it", () => {
    neverDisagrees(mediaMessage, 3000);
  });

  it("reads every well-formed compact message the full parse reads", () => {
    fc.assert(
      fc.property(mediaMessage, (raw) => {
        const parsed = parsedPayload(raw);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
        const plain = !/[\u0000-\u001f\\]/.test(raw) && parsed !== null;
        if (plain && stringsOnly(JSON.parse(raw))) expect(scanMediaPayload(raw, SID)).toBe(parsed);
      }),
      { numRuns: 3000 },
    );
  });

  it("leaves to the full parse what only it reads right", () => {
    const tricky = [
      `{"event":"media","streamSid":"${SID}","media":{"payload":"AAAA"},"media":"x"}`,
      `{"event":"media","streamSid":"${SID}","media":{"payload":"AAAA"},"media":{"track":"inbound"}}`,
      `{"event":"media","streamSid":"${SID}","media":{"track":"\\"payload\\":\\"QkJC"}}`,
      `{"event":"media","streamSid":"${SID}","media":{"payload":"AAAA"},"event":"mark"}`,
      `{"event":"media","streamSid":"${SID}", "media":{"payload":"AAAA"}}`,
    ];
    for (const raw of tricky) expect(scanMediaPayload(raw, SID)).toBe(null);
    const lastWins = `{"event":"media","streamSid":"${SID}","media":{"payload":"AAAA","payload":"QkJC"}}`;
    expect(scanMediaPayload(lastWins, SID)).toBe(parsedPayload(lastWins));
  });

  it("never reads a payload the full parse would not, for messages put together from raw parts", () => {
    neverDisagrees(composed, 5000);
  });

  it("never reads a payload from a broken or tampered message that the full parse refuses", () => {
    const valid = `{"event":"media","media":{"payload":"AAAA"},"streamSid":"${SID}"}`;
    const tampered = fc
      .tuple(fc.nat(valid.length), fc.nat(4), fc.string({ unit: "binary", maxLength: 4 }))
      .map(([at, cut, insert]) => valid.slice(0, at) + insert + valid.slice(at + cut));
    neverDisagrees(fc.oneof(tampered, fc.string({ unit: "binary" })), 5000);
  });
});

describe("writing a media message", () => {
  it("writes what JSON.stringify writes, for any stream and any audio", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), base64, (sid, payload) => {
        expect(outboundMediaOf(sid)(payload)).toBe(
          JSON.stringify({ event: "media", streamSid: sid, media: { payload } }),
        );
      }),
    );
  });
});
