import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { generatePiiKey } from "../../core/crypto/pii";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { createRelayServer } from "../../media-relay/server";
import { startDeepgramFake } from "../fakes/deepgram";
import { startElevenLabsFake } from "../fakes/elevenlabs";
import { startOpenAIFake } from "../fakes/openai";
import { openMediaStream } from "../fakes/twilio-media-stream";
import { startFaultProxy } from "../support/fault-proxy";
import { startTestJobsWorker } from "../support/jobs";
import { ringingCall as ringingCallWith } from "../support/relay";
import { ownerQuery } from "../support/seed";
import { fakeBackedProviders } from "../support/voice";
import { eventually } from "../support/wait";

/**
 * Providers failing in the middle of a call, through a TCP proxy in front of each fake. What each
 * test holds to: the caller is never left in silence (the words already heard, then the fallback
 * line, then a clean hang-up, or the call simply goes on), the call is closed once with its
 * reason, its transcript keeps what was said, and it is billed exactly once.
 */
const ownerUrl = () => inject("ownerUrl");
const tokenSecret = `st-${crypto.randomUUID()}`;
const twilioAuthToken = `tw-${crypto.randomUUID()}`;
const FALLBACK = /technical trouble right now\. Please call back in a few minutes\. Goodbye\.$/;
let db: NodeDb;
let relayUrl = "";
let relay: ReturnType<typeof createRelayServer>;
let fakes: {
  deepgram: Awaited<ReturnType<typeof startDeepgramFake>>;
  openai: Awaited<ReturnType<typeof startOpenAIFake>>;
  elevenlabs: Awaited<ReturnType<typeof startElevenLabsFake>>;
};
let proxies: Record<"stt" | "llm" | "tts", Awaited<ReturnType<typeof startFaultProxy>>>;
let jobs: Awaited<ReturnType<typeof startTestJobsWorker>>;

beforeAll(async () => {
  db = createNodeDb(inject("appUrl"), { max: 5 });
  fakes = {
    deepgram: await startDeepgramFake({ apiKey: "dg-key" }),
    openai: await startOpenAIFake({
      apiKey: "sk-test",
      reply: () =>
        "We are open nine to five on weekdays. On Saturdays we open at ten and close at four. Sundays we are closed.",
    }),
    elevenlabs: await startElevenLabsFake({ apiKey: "xi-key" }),
  };
  const port = (url: string) => Number(new URL(url).port);
  proxies = {
    stt: await startFaultProxy({ port: port(fakes.deepgram.url) }),
    llm: await startFaultProxy({ port: port(fakes.openai.baseURL) }),
    tts: await startFaultProxy({ port: port(fakes.elevenlabs.url) }),
  };
  const via = (url: string, p: { port: number }) => url.replace(/:\d+/, `:${p.port}`);
  relay = createRelayServer({
    db,
    tokenSecret,
    twilioAuthToken,
    providers: fakeBackedProviders(
      {
        deepgram: via(fakes.deepgram.url, proxies.stt),
        openai: via(fakes.openai.baseURL, proxies.llm),
        elevenlabs: via(fakes.elevenlabs.url, proxies.tts),
      },
      { firstTokenMs: 1500, firstAudioMs: 1500, tokenGapMs: 1000 },
    ),
  });
  const relayPort = await new Promise<number>((r) =>
    (relay.server as Server).listen(0, "127.0.0.1", () => r((relay.server.address() as { port: number }).port)),
  );
  relayUrl = `ws://127.0.0.1:${relayPort}/twilio`;
  jobs = await startTestJobsWorker(inject("appUrl"), {
    PII_ENCRYPTION_KEYS: generatePiiKey("f1"),
    PII_BLIND_INDEX_KEY: "faults",
  });
});
afterAll(async () => {
  for (const ws of relay.wss.clients) ws.terminate();
  relay.server.close();
  await new Promise((r) => setTimeout(r, 300));
  await jobs?.stop();
  await Promise.all([
    ...Object.values(proxies).map((p) => p.stop()),
    fakes.deepgram.stop(),
    fakes.openai.stop(),
    fakes.elevenlabs.stop(),
  ]);
  await db.$pool.end();
});

async function answeredCall() {
  const call = await ringingCallWith(db, { ownerUrl: ownerUrl(), tokenSecret });
  await ownerQuery(ownerUrl(), "update tenants set plan = 'payg' where id = $1", [call.tenantId]);
  const twilio = await openMediaStream(relayUrl, { token: call.token }, twilioAuthToken);
  await twilio.waitFor("the greeting", () => twilio.marks().includes("turn-0"));
  return { call, twilio };
}
const utter = async (twilio: Awaited<ReturnType<typeof openMediaStream>>) => {
  await twilio.speak(400);
  await twilio.silence(400);
};
const outcome = async (callId: string) => {
  const [row] = await eventually(
    () =>
      ownerQuery<{ status: string; end_reason: string; duration_seconds: number; cost_micros: string | null }>(
        ownerUrl(),
        "select status, end_reason, duration_seconds, cost_micros from calls where id = $1",
        [callId],
      ).then((r) => r[0]?.cost_micros != null && r),
    20_000,
    "the call to be billed",
  );
  const usage = await ownerQuery<{ quantity: string }>(
    ownerUrl(),
    "select quantity from usage_records where call_id = $1",
    [callId],
  );
  const turns = await ownerQuery<{ speaker: string; text: string }>(
    ownerUrl(),
    "select speaker, text from call_turns where call_id = $1 order by seq",
    [callId],
  );
  const events = await ownerQuery<{ type: string; payload: { message?: string; recovered?: boolean } }>(
    ownerUrl(),
    "select type, payload from call_events where call_id = $1 order by created_at",
    [callId],
  );
  return { row: row!, usage, turns, events };
};

describe("providers failing mid-call", () => {
  for (const how of ["stall", "reset"] as const) {
    it(`the model's stream ${how === "stall" ? "stalls (goes quiet, stays open)" : "is reset"} mid-reply: the caller hears the fallback line, the call ends cleanly, billed once`, async () => {
      const { call, twilio } = await answeredCall();
      fakes.deepgram.script("When are you open?");
      // Past the response headers and the first tokens, then nothing more (or a reset).
      proxies.llm.cutAfter(700, how, 1);
      const spokenBefore = fakes.elevenlabs.spoken.length;
      await utter(twilio);
      await twilio.waitFor("the relay to hang up", () => twilio.closed() !== null, 15_000);
      proxies.llm.pass();
      expect(twilio.closed()).toBe(1000);
      expect(
        fakes.elevenlabs.spoken
          .slice(spokenBefore)
          .map((s) => s.text)
          .join(" "),
      ).toMatch(FALLBACK);
      const { row, usage, turns, events } = await outcome(call.callId);
      expect(row).toMatchObject({ status: "completed", end_reason: "provider_error" });
      expect(usage).toEqual([{ quantity: String(row.duration_seconds) }]);
      // The greeting, the question, whatever of the reply was heard (perhaps nothing), the fallback.
      expect(turns.slice(0, 2).map((t) => t.speaker)).toEqual(["agent", "caller"]);
      expect(turns.at(-1)!.text).toMatch(FALLBACK);
      const failure = events.find((e) => e.type === "provider.error")!;
      expect(failure.payload.message).toMatch(
        how === "stall" ? /llm stalled: nothing for 1000 ms/ : /terminated|reset|closed|aborted|socket/i,
      );
    });
  }

  it("the speech recogniser's connection is reset mid-call: a new one is opened and the caller is still understood", async () => {
    const { call, twilio } = await answeredCall();
    const before = fakes.deepgram.connections.length;
    proxies.stt.resetAll();
    await eventually(async () => fakes.deepgram.connections.length > before, 5000, "a new recogniser connection");
    fakes.deepgram.script("When are you open?");
    await utter(twilio);
    await twilio.waitFor("the answer", () => twilio.marks().includes("turn-2"), 10_000);
    await twilio.hangUp();
    const { row, usage, turns, events } = await outcome(call.callId);
    expect(row).toMatchObject({ status: "completed", end_reason: "stream_stopped" });
    expect(usage).toHaveLength(1);
    expect(turns.map((t) => [t.speaker, t.text.slice(0, 20)])).toEqual([
      ["agent", "Hello, thanks for ca"],
      ["caller", "When are you open?"],
      ["agent", "We are open nine to "],
    ]);
    expect(events.find((e) => e.type === "provider.error")?.payload).toMatchObject({ recovered: true });
  });

  it("speech synthesis is reset mid-sentence: the fallback line comes through a fresh connection, then a clean hang-up", async () => {
    const { call, twilio } = await answeredCall();
    fakes.deepgram.script("When are you open?");
    proxies.tts.cutAfter(2000, "reset", 1);
    const spokenBefore = fakes.elevenlabs.spoken.length;
    await utter(twilio);
    await twilio.waitFor("the relay to hang up", () => twilio.closed() !== null, 15_000);
    proxies.tts.pass();
    expect(twilio.closed()).toBe(1000);
    expect(
      fakes.elevenlabs.spoken
        .slice(spokenBefore)
        .map((s) => s.text)
        .join(" "),
    ).toMatch(FALLBACK);
    const { row, usage } = await outcome(call.callId);
    expect(row).toMatchObject({ status: "completed", end_reason: "provider_error" });
    expect(usage).toHaveLength(1);
  });
});
