import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { WebSocket } from "ws";
import { createPiiCipher, generatePiiKey } from "../../core/crypto/pii";
import { signStreamToken } from "../../core/stream-token";
import { newPublishableKey } from "../../core/widget";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { routeInboundCall } from "../../db/queries/inbound-calls";
import { cappedSecondsLeft } from "../../db/queries/standing";
import { startWebCall, widgetForKey } from "../../db/queries/widgets";
import { limitLines } from "../../voice/call-limits";
import { startDeepgramFake } from "../fakes/deepgram";
import { startElevenLabsFake } from "../fakes/elevenlabs";
import { startOpenAIFake } from "../fakes/openai";
import { startRealtimeFake } from "../fakes/openai-realtime";
import { openMediaStream } from "../fakes/twilio-media-stream";
import { listenRelay, ringingCall as ringingCallWith } from "../support/relay";
import { ownerQuery, seedTenant } from "../support/seed";
import { fakeBackedProviders } from "../support/voice";
import { eventually } from "../support/wait";

/**
 * Every ending of the call-limits rules (docs/decisions/0028), in both engines: the last line is
 * spoken in the agent's voice and heard (its audio sent, then its mark back), the call records why
 * it ended, and it lasts no longer than its limit and that line. Limits are set small in the
 * database directly (the API's minimum maximum length is 30 s).
 */
const ownerUrl = () => inject("ownerUrl");
const tokenSecret = `st-${crypto.randomUUID()}`;
const twilioAuthToken = `tw-${crypto.randomUUID()}`;
const GRACE_S = 20;
let db: NodeDb;
let relay: Awaited<ReturnType<typeof listenRelay>>;
let deepgram: Awaited<ReturnType<typeof startDeepgramFake>>;
let openai: Awaited<ReturnType<typeof startOpenAIFake>>;
let elevenlabs: Awaited<ReturnType<typeof startElevenLabsFake>>;
let realtime: Awaited<ReturnType<typeof startRealtimeFake>>;
const transcripts: string[] = [];
const replies: Record<string, string> = {
  "Thanks, bye.": "Goodbye!",
  "What are your opening hours?": "We are open nine to five.",
};

beforeAll(async () => {
  db = createNodeDb(inject("appUrl"), { max: 5 });
  deepgram = await startDeepgramFake({ apiKey: "dg-key" });
  openai = await startOpenAIFake({ apiKey: "sk-test", reply: (m) => replies[m.at(-1)?.content ?? ""] ?? "Sorry?" });
  elevenlabs = await startElevenLabsFake({ apiKey: "xi-key" });
  realtime = await startRealtimeFake({
    apiKey: "sk-realtime",
    transcripts,
    reply: (heard) => replies[heard] ?? "Sorry?",
  });
  relay = await listenRelay({
    db,
    tokenSecret,
    twilioAuthToken,
    providers: fakeBackedProviders(
      { deepgram: deepgram.url, openai: openai.baseURL, elevenlabs: elevenlabs.url },
      { firstTokenMs: 2000, firstAudioMs: 2000 },
    ),
    realtimeFor: async () => ({ apiKey: "sk-realtime", url: realtime.url, ca: realtime.ca }),
  });
});
afterAll(async () => {
  await relay.stop();
  await Promise.all([deepgram.stop(), openai.stop(), elevenlabs.stop(), realtime.stop()]);
  await db.$pool.end();
});

type Mode = "cascade" | "speech_to_speech";
const quiet = { silence_timeout_seconds: 0 };
const ringingCall = (mode: Mode, settings: Record<string, unknown>) =>
  ringingCallWith(db, { ownerUrl: ownerUrl(), tokenSecret, settings: { mode, ...settings } });
const callRow = (callId: string) =>
  ownerQuery<{ end_reason: string; duration_seconds: number }>(
    ownerUrl(),
    "select end_reason, duration_seconds from calls where id = $1",
    [callId],
  ).then((r) => r[0]!);
const turnsOf = (callId: string) =>
  ownerQuery<{ speaker: string; text: string; interrupted: boolean }>(
    ownerUrl(),
    "select speaker, text, interrupted from call_turns where call_id = $1 order by seq",
    [callId],
  );
/** Spends the trial's minutes (as the billing job would have) down to `secondsLeft`. */
const trialLeft = (tenantId: string, secondsLeft: number) =>
  ownerQuery(
    ownerUrl(),
    "insert into usage_records (tenant_id, kind, quantity, unit_price_micros, amount_micros, plan) values ($1, 'call_seconds', $2, 0, 0, 'trial')",
    [tenantId, 3600 - secondsLeft],
  );

/** A mark that says a whole agent turn was played: `turn-N` (cascade) or `rt.<item>.end` (speech-to-speech). */
const isEndMark = (name: string) => /^turn-\d+$/.test(name) || name.endsWith(".end");
/** The next scripted thing the caller says, in either engine's speech recogniser. */
const willSay = (mode: Mode, text: string) => (mode === "cascade" ? deepgram.script(text) : transcripts.push(text));

/**
 * The caller says a scripted line, then stays on the line in silence until the relay hangs up: on
 * a loaded machine a fixed stretch of silence may hold too few frames for the recogniser's endpointing.
 */
async function sayThenListen(twilio: Awaited<ReturnType<typeof openMediaStream>>, mode: Mode, text: string) {
  willSay(mode, text);
  await twilio.speak(400);
  const until = Date.now() + 15_000;
  while (twilio.closed() === null) {
    if (Date.now() > until) throw new Error(`the relay did not hang up after "${text}"`);
    await twilio.silence(100);
    // Once the relay starts closing, `silence` sends nothing and returns at once: without a turn
    // of the event loop the close itself would never be read.
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * A browser call from a widget whose sessions last `maxSessionSeconds`, as the edge opens it, and
 * a page that plays what it gets (echoing each mark) and listens until the relay ends the call.
 */
async function webCall(mode: Mode, maxSessionSeconds: number) {
  const origin = "https://shop.example.com";
  const t = await seedTenant(ownerUrl());
  await ownerQuery(ownerUrl(), "update agents set mode = $1, silence_timeout_seconds = 0 where id = $2", [
    mode,
    t.agentId,
  ]);
  const key = newPublishableKey();
  await ownerQuery(
    ownerUrl(),
    "insert into widgets (tenant_id, agent_id, publishable_key, allowed_origins, max_session_seconds) values ($1, $2, $3, $4, $5)",
    [t.tenantId, t.agentId, key, [origin], maxSessionSeconds],
  );
  const started = await startWebCall(db, (await widgetForKey(db, key))!, { origin });
  if (started.kind !== "connect") throw new Error(started.kind);
  const token = await signStreamToken(
    tokenSecret,
    {
      callId: started.callId,
      tenantId: started.tenantId,
      agentId: started.agentId,
      origin,
      maxSeconds: started.maxSessionSeconds,
    },
    60,
  );
  const ws = new WebSocket(`${relay.url.replace(/\/twilio$/, "/widget")}?token=${encodeURIComponent(token)}`, {
    origin,
  });
  const received: { event: string; name?: string }[] = [];
  const control: string[] = [];
  ws.on("message", (data, binary) => {
    if (binary) return void received.push({ event: "media" });
    const msg = JSON.parse(String(data)) as { type: string; name?: string };
    control.push(msg.type);
    if (msg.type !== "mark") return;
    received.push({ event: "mark", name: msg.name });
    ws.send(JSON.stringify({ type: "mark", name: msg.name }));
  });
  const closed = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the relay did not end the web call")), 15_000);
    ws.once("close", () => resolve(clearTimeout(timer)));
  });
  return { callId: started.callId, received, control, closed };
}

/** The call's record once it has closed: why, how long, and its last agent turn (heard in full). */
async function ended(callId: string) {
  const row = await eventually(
    async () => {
      const r = await callRow(callId);
      return r.end_reason && r;
    },
    10_000,
    "the call to close",
  );
  const turns = await eventually(
    async () => {
      const t = await turnsOf(callId);
      return t.length > 0 && t;
    },
    10_000,
    "the turns",
  );
  return { ...row, last: turns.filter((t) => t.speaker === "agent").at(-1)!, turns };
}

/** A call that ended at a limit of `seconds`: why, its time-limit line heard in full, and how long it lasted. */
async function endedAtLimit(callId: string, reason: string, seconds: number) {
  const call = await ended(callId);
  expect(call.end_reason).toBe(reason);
  expect(call.last).toEqual({ speaker: "agent", text: limitLines.timeLimit, interrupted: false });
  expect(call.duration_seconds).toBeGreaterThanOrEqual(seconds);
  expect(call.duration_seconds).toBeLessThanOrEqual(seconds + GRACE_S);
}

/** The last line's audio went out and its end mark came back before the relay hung up. */
function lastLineHeard(received: { event: string; name?: string }[]) {
  const ends = received.flatMap((m, i) => (m.event === "mark" && isEndMark(m.name!) ? [i] : []));
  const [before, last] = [ends.at(-2) ?? -1, ends.at(-1)!];
  expect(received.slice(before + 1, last).filter((m) => m.event === "media").length).toBeGreaterThan(10);
}

describe.each<Mode>(["cascade", "speech_to_speech"])("every %s call ends", (mode) => {
  it("at the agent's maximum length, once its last line has been heard", async () => {
    const call = await ringingCall(mode, { ...quiet, max_duration_seconds: 2 });
    const twilio = await openMediaStream(relay.url, { token: call.token }, twilioAuthToken);
    twilio.holdMarks();
    // The greeting is cut off at the limit (Twilio answers its held marks on `clear`)…
    await twilio.waitFor("the greeting cut off", () => twilio.received.some((m) => m.event === "clear"));
    // …and the time-limit line is said, but not yet heard: the call waits for its mark.
    await twilio.waitFor("the time-limit line", () => twilio.held().some(isEndMark));
    expect(twilio.closed()).toBeNull();
    for (const name of twilio.held()) twilio.play(name);
    await twilio.waitFor("the relay to hang up", () => twilio.closed() !== null);
    await endedAtLimit(call.callId, "max_duration", 2);
    lastLineHeard(twilio.received);
  });

  it("after silence: a reprompt, then the goodbye", async () => {
    const call = await ringingCall(mode, { silence_timeout_seconds: 1 });
    const twilio = await openMediaStream(relay.url, { token: call.token }, twilioAuthToken);
    await twilio.waitFor("the relay to hang up", () => twilio.closed() !== null, 15_000);
    const call1 = await ended(call.callId);
    expect(call1.end_reason).toBe("silence_timeout");
    expect(call1.turns.map((t) => t.text)).toEqual([
      "Hello, thanks for calling Acme.",
      limitLines.reprompt,
      limitLines.silenceGoodbye,
    ]);
    lastLineHeard(twilio.received);
  });

  it("when the caller says an end-call phrase: the agent's goodbye, not a reply", async () => {
    const call = await ringingCall(mode, { ...quiet, end_call_phrases: ["goodbye"] });
    const twilio = await openMediaStream(relay.url, { token: call.token }, twilioAuthToken);
    await twilio.waitFor("the greeting", () => twilio.marks().some(isEndMark));
    await sayThenListen(twilio, mode, "OK, goodbye.");
    const call1 = await ended(call.callId);
    expect(call1.end_reason).toBe("end_call_phrase");
    expect(call1.turns.map((t) => t.text)).toEqual([
      "Hello, thanks for calling Acme.",
      "OK, goodbye.",
      limitLines.goodbye,
    ]);
    lastLineHeard(twilio.received);
    // The answer the model had begun, set aside for the line, is no provider fault.
    const events = await ownerQuery<{ type: string }>(ownerUrl(), "select type from call_events where call_id = $1", [
      call.callId,
    ]);
    expect(events.map((e) => e.type)).not.toContain("provider.error");
  });

  it("when the trial's minutes run out during the call", async () => {
    const call = await ringingCall(mode, quiet);
    await trialLeft(call.tenantId, 3);
    const twilio = await openMediaStream(relay.url, { token: call.token }, twilioAuthToken);
    await twilio.waitFor("the relay to hang up", () => twilio.closed() !== null);
    await endedAtLimit(call.callId, "trial_used", 3);
    lastLineHeard(twilio.received);
  });

  it("at once, with only the time-limit line, when the trial had no time left at answer", async () => {
    const call = await ringingCall(mode, quiet);
    await trialLeft(call.tenantId, 0);
    const twilio = await openMediaStream(relay.url, { token: call.token }, twilioAuthToken);
    await twilio.waitFor("the relay to hang up", () => twilio.closed() !== null);
    const call1 = await ended(call.callId);
    expect(call1.end_reason).toBe("trial_used");
    expect(call1.turns).toEqual([{ speaker: "agent", text: limitLines.timeLimit, interrupted: false }]);
  });

  it("at the widget session's length (a web call)", async () => {
    const web = await webCall(mode, 2);
    await web.closed;
    expect(web.control.at(-1)).toBe("ended");
    await endedAtLimit(web.callId, "session_limit", 2);
    lastLineHeard(web.received);
  });

  it("when the agent says an end-call phrase, once it has been heard", async () => {
    const call = await ringingCall(mode, { ...quiet, end_call_phrases: ["goodbye"] });
    const twilio = await openMediaStream(relay.url, { token: call.token }, twilioAuthToken);
    await twilio.waitFor("the greeting", () => twilio.marks().some(isEndMark));
    await sayThenListen(twilio, mode, "Thanks, bye.");
    const call1 = await ended(call.callId);
    expect(call1.end_reason).toBe("end_call_phrase");
    expect(call1.last).toEqual({ speaker: "agent", text: "Goodbye!", interrupted: false });
    lastLineHeard(twilio.received);
  });
});

describe("a trial's minutes", () => {
  it("are each tenant's own, and a paying plan has no cap", async () => {
    const [spent, fresh, paying] = [
      await seedTenant(ownerUrl()),
      await seedTenant(ownerUrl()),
      await seedTenant(ownerUrl()),
    ];
    await trialLeft(spent.tenantId, 0);
    await ownerQuery(ownerUrl(), "update tenants set plan = 'pro' where id = $1", [paying.tenantId]);
    expect(await cappedSecondsLeft(db, { tenantId: spent.tenantId })).toEqual({ secondsLeft: 0, liveCalls: 1 });
    expect(await cappedSecondsLeft(db, { tenantId: fresh.tenantId })).toEqual({ secondsLeft: 3600, liveCalls: 1 });
    expect(await cappedSecondsLeft(db, { tenantId: paying.tenantId })).toBeNull();
  });

  it("are shared by the tenant's live calls: two at once both end when the pool runs dry", async () => {
    const first = await ringingCall("cascade", quiet);
    await trialLeft(first.tenantId, 10);
    const pii = createPiiCipher({ keys: generatePiiKey("t"), blindIndexKey: "test" });
    const route = await routeInboundCall(db, pii, {
      to: first.number,
      from: "+14155550124",
      providerCallSid: `CA${crypto.randomUUID().replace(/-/g, "")}`,
      signer: "platform",
    });
    if (route.kind !== "connect") throw new Error(route.kind);
    const a = await openMediaStream(relay.url, { token: first.token }, twilioAuthToken);
    await a.waitFor("the first call's greeting", () => a.marks().some(isEndMark));
    const token = await signStreamToken(
      tokenSecret,
      { callId: route.callId, tenantId: route.tenantId, agentId: route.agentId },
      60,
    );
    const b = await openMediaStream(relay.url, { token }, twilioAuthToken);
    await a.waitFor("both calls to end", () => a.closed() !== null && b.closed() !== null, 20_000);
    const [one, two] = [await ended(first.callId), await ended(route.callId)];
    expect([one.end_reason, two.end_reason]).toEqual(["trial_used", "trial_used"]);
    expect([one.last.text, two.last.text]).toEqual([limitLines.timeLimit, limitLines.timeLimit]);
    // Alone, the first call would have had all ten seconds; together they end near the middle.
    expect(one.duration_seconds).toBeLessThan(10);
    expect(two.duration_seconds).toBeLessThan(10);
  });

  it("stop counting when the tenant upgrades during the call", async () => {
    const call = await ringingCall("cascade", { ...quiet, max_duration_seconds: 8 });
    await trialLeft(call.tenantId, 5);
    const twilio = await openMediaStream(relay.url, { token: call.token }, twilioAuthToken);
    await twilio.waitFor("the greeting", () => twilio.marks().some(isEndMark));
    await ownerQuery(ownerUrl(), "update tenants set plan = 'payg' where id = $1", [call.tenantId]);
    await twilio.waitFor("the relay to hang up", () => twilio.closed() !== null, 15_000);
    const call1 = await ended(call.callId);
    expect(call1.end_reason).toBe("max_duration");
    expect(call1.duration_seconds).toBeGreaterThanOrEqual(8);
  });
});
