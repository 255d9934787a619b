import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { startRealtimeFake } from "../fakes/openai-realtime";

let transcripts: string[];

import { decodeMulaw } from "../../core/audio/mulaw";
import { twilioTransfer } from "../../media-relay/twilio-rest";
import { startTwilioFake } from "../fakes/twilio/api";
import { openMediaStream } from "../fakes/twilio-media-stream";
import { detectDtmf } from "../support/dtmf-detect";
import { listenRelay, ringingCall } from "../support/relay";
import { ownerQuery } from "../support/seed";
import { eventually } from "../support/wait";

const tokenSecret = `st-${crypto.randomUUID()}`;
const authToken = `tw-${crypto.randomUUID()}`;
let db: NodeDb;
let relay: Awaited<ReturnType<typeof listenRelay>>;
let url: string;
let realtime: Awaited<ReturnType<typeof startRealtimeFake>>;

beforeAll(async () => {
  db = createNodeDb(inject("appUrl"), { max: 5 });
  transcripts = ["What are your opening hours?", "Do you do house calls?"];
  realtime = await startRealtimeFake({
    apiKey: "sk-realtime",
    transcripts,
    reply: (heard) =>
      heard.startsWith("That's all")
        ? { text: "Goodbye!", tool: { name: "end_call", arguments: {} } }
        : heard.startsWith("Press two")
          ? { text: "Pressing two.", tool: { name: "send_dtmf", arguments: { digits: "2" } } }
          : heard.startsWith("Can I talk")
            ? { text: "Transferring you now.", tool: { name: "transfer_call", arguments: {} } }
            : heard.startsWith("What")
              ? "We are open nine to five."
              : "Yes we do house calls across the whole city every day of the week and they cost fifty dollars each time we come out to you.",
  });
  relay = await listenRelay({
    db,
    tokenSecret,
    twilioAuthToken: authToken,
    realtimeFor: async () => ({ apiKey: "sk-realtime", url: realtime.url, ca: realtime.ca }),
  });
  url = relay.url;
});
afterAll(async () => {
  await relay.stop();
  await realtime.stop();
  await db.$pool.end();
});

describe("a speech-to-speech agent (OpenAI Realtime over TLS, g711 μ-law both ways)", () => {
  it("greets, answers, and on barge-in truncates the answer to exactly the audio the caller heard", async () => {
    const r = await ringingCall(db, {
      ownerUrl: inject("ownerUrl"),
      tokenSecret,
      settings: { mode: "speech_to_speech" },
    });
    const twilio = await openMediaStream(url, { token: r.token }, authToken);
    const ends = () => twilio.marks().filter((m) => m.endsWith(".end"));

    await twilio.waitFor("the greeting", () => ends().length === 1);
    expect(realtime.sessions[0]).toMatchObject({
      type: "realtime",
      instructions: "You answer the phone.",
      audio: { input: { format: { type: "audio/pcmu" } }, output: { format: { type: "audio/pcmu" } } },
    });
    await twilio.speak(400);
    await twilio.silence(400);
    await twilio.waitFor("the answer", () => ends().length === 2);

    twilio.holdMarks();
    await twilio.speak(400);
    await twilio.silence(400);
    await twilio.waitFor("the long answer to start", () => twilio.held().length >= 12);
    // The caller hears the first second of it (ten 100 ms chunks), then talks over the rest.
    const heard = twilio.held().slice(0, 10);
    for (const m of heard) twilio.play(m);
    const heardMs = Number(heard.at(-1)!.split(".").pop());
    await new Promise((r) => setTimeout(r, 100));
    await twilio.speak(200);
    await twilio.waitFor("clear", () => twilio.received.some((m) => m.event === "clear"));
    await eventually(async () => realtime.truncates.length > 0 && realtime.truncates, 5000, "the truncate");
    expect(realtime.truncates[0]!.audio_end_ms).toBe(heardMs);
    await twilio.silence(100);
    await twilio.hangUp();

    const turns = await eventually(
      async () => {
        const rows = await ownerQuery<{ speaker: string; text: string; interrupted: boolean }>(
          inject("ownerUrl"),
          "select speaker, text, interrupted from call_turns where call_id = $1 order by seq",
          [r.callId],
        );
        return rows.length >= 5 && rows;
      },
      10_000,
      "the turns",
    );
    expect(turns.slice(0, 4)).toEqual([
      { speaker: "agent", text: "Hello, thanks for calling Acme.", interrupted: false },
      { speaker: "caller", text: "What are your opening hours?", interrupted: false },
      { speaker: "agent", text: "We are open nine to five.", interrupted: false },
      { speaker: "caller", text: "Do you do house calls?", interrupted: false },
    ]);
    expect(turns[4]).toMatchObject({ speaker: "agent", interrupted: true });
    // About a second of a 300 ms-a-word answer: its first three words, no more.
    expect(turns[4]!.text).toBe("Yes we do");
  });

  it("runs the model's end_call after its goodbye has been heard, then hangs up", async () => {
    const r = await ringingCall(db, {
      ownerUrl: inject("ownerUrl"),
      tokenSecret,
      settings: { mode: "speech_to_speech", tools: JSON.stringify([{ type: "end_call" }]) },
    });
    const twilio = await openMediaStream(url, { token: r.token }, authToken);
    await twilio.waitFor("the greeting", () => twilio.marks().some((m) => m.endsWith(".end")));
    transcripts.push("That's all, thanks.");
    await twilio.speak(400);
    await twilio.silence(400);
    await twilio.waitFor("the relay to hang up", () => twilio.closed() !== null);
    const [row] = await ownerQuery<{ end_reason: string }>(
      inject("ownerUrl"),
      "select end_reason from calls where id = $1",
      [r.callId],
    );
    expect(row!.end_reason).toBe("end_call_tool");
    const turns = await ownerQuery<{ speaker: string; text: string }>(
      inject("ownerUrl"),
      "select speaker, text from call_turns where call_id = $1 order by seq",
      [r.callId],
    );
    expect(turns.map((x) => x.speaker)).toEqual(["agent", "caller", "agent", "tool"]);
    expect(turns[2]!.text).toBe("Goodbye!");
    expect(realtime.sessions.at(-1)!.tools).toEqual([expect.objectContaining({ type: "function", name: "end_call" })]);
  });

  it("plays send_dtmf keys as tones behind the model's words, then lets it go on", async () => {
    const r = await ringingCall(db, {
      ownerUrl: inject("ownerUrl"),
      tokenSecret,
      settings: { mode: "speech_to_speech", tools: JSON.stringify([{ type: "send_dtmf" }]) },
    });
    const twilio = await openMediaStream(url, { token: r.token }, authToken);
    await twilio.waitFor("the greeting", () => twilio.marks().some((m) => m.endsWith(".end")));
    const before = twilio.audio().length;
    transcripts.push("Press two, please.");
    await twilio.speak(400);
    await twilio.silence(400);
    const turns = () =>
      ownerQuery<{ text: string }>(inject("ownerUrl"), "select text from call_turns where call_id = $1 order by seq", [
        r.callId,
      ]);
    await eventually(async () => (await turns()).some((t) => t.text === "Done."), 10_000, "the model to go on");
    await twilio.hangUp();
    expect(detectDtmf(decodeMulaw(twilio.audio().subarray(before)))).toBe("2");
    expect((await turns()).map((t) => t.text).slice(1)).toEqual([
      "Press two, please.",
      "Pressing two.",
      'send_dtmf({"digits":"2"}) → {"ok":true,"pressed":"2"}',
      "Done.",
    ]);
  });

  it("ends the call cleanly as provider_error when the realtime model refuses the connection", async () => {
    const wrongKey = await listenRelay({
      db,
      tokenSecret,
      twilioAuthToken: authToken,
      realtimeFor: async () => ({ apiKey: "sk-revoked", url: realtime.url, ca: realtime.ca }),
    });
    try {
      const r = await ringingCall(db, {
        ownerUrl: inject("ownerUrl"),
        tokenSecret,
        settings: { mode: "speech_to_speech" },
      });
      const twilio = await openMediaStream(wrongKey.url, { token: r.token }, authToken);
      await twilio.waitFor("the relay to hang up", () => twilio.closed() !== null);
      expect(twilio.closed()).toBe(1000);
      const [row] = await ownerQuery<{ status: string; end_reason: string }>(
        inject("ownerUrl"),
        "select status, end_reason from calls where id = $1",
        [r.callId],
      );
      expect(row).toEqual({ status: "completed", end_reason: "provider_error" });
      const events = await ownerQuery<{ type: string }>(
        inject("ownerUrl"),
        "select type from call_events where call_id = $1",
        [r.callId],
      );
      expect(events.map((e) => e.type)).toContain("provider.error");
    } finally {
      await wrongKey.stop();
    }
  });

  it("transfers through Twilio's REST API once the announcement has been heard", async () => {
    const accountSid = `AC${"1".repeat(32)}`;
    const rest = await startTwilioFake({ accountSid, authToken });
    const withTransfer = await listenRelay({
      db,
      tokenSecret,
      twilioAuthToken: authToken,
      realtimeFor: async () => ({ apiKey: "sk-realtime", url: realtime.url, ca: realtime.ca }),
      transfer: twilioTransfer({ accountSid, authToken, apiUrl: rest.url }),
    });
    try {
      const r = await ringingCall(db, {
        ownerUrl: inject("ownerUrl"),
        tokenSecret,
        settings: {
          mode: "speech_to_speech",
          tools: JSON.stringify([{ type: "transfer_call", number: "+14155550999" }]),
        },
      });
      const twilio = await openMediaStream(withTransfer.url, { token: r.token }, authToken);
      await twilio.waitFor("the greeting", () => twilio.marks().some((m) => m.endsWith(".end")));
      transcripts.push("Can I talk to a person?");
      await twilio.speak(400);
      await twilio.silence(400);
      await eventually(async () => rest.callUpdates.length > 0, 10_000, "the transfer");
      expect(rest.callUpdates[0]).toEqual({
        callSid: expect.stringMatching(/^CA/),
        twiml: "<Response><Dial>+14155550999</Dial></Response>",
      });
      expect(twilio.marks().filter((m) => m.endsWith(".end"))).toHaveLength(2); // the announcement was heard first
      await twilio.hangUp(); // Twilio ends the stream when the call's TwiML is replaced
      await eventually(
        async () =>
          (
            await ownerQuery<{ end_reason: string }>(inject("ownerUrl"), "select end_reason from calls where id = $1", [
              r.callId,
            ])
          )[0]!.end_reason === "transferred",
        10_000,
        "the call to close as transferred",
      );
    } finally {
      await withTransfer.stop();
      await rest.stop();
    }
  });
});
