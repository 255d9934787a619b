import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { signStreamToken } from "../../core/stream-token";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { startDeepgramFake } from "../fakes/deepgram";
import { startElevenLabsFake } from "../fakes/elevenlabs";
import { startOpenAIFake } from "../fakes/openai";
import { openMediaStream } from "../fakes/twilio-media-stream";
import { listenRelay, ringingCall } from "../support/relay";
import { ownerQuery, seedTenant } from "../support/seed";
import { fakeBackedProviders } from "../support/voice";
import { eventually } from "../support/wait";

/**
 * A call-screening assistant answers an outbound call (docs/decisions/0045): the callee's first
 * words, through the provider fakes (Deepgram transcribes what the test scripts), are an
 * assistant's prompt; the call's outcome becomes `screening` and the agent does what the call
 * was configured to: state its purpose and talk on, leave the voicemail, or hang up.
 */
const ownerUrl = () => inject("ownerUrl");
const tokenSecret = `st-${crypto.randomUUID()}`;
const twilioAuthToken = `tw-${crypto.randomUUID()}`;
let db: NodeDb;
let relay: Awaited<ReturnType<typeof listenRelay>>;
let deepgram: Awaited<ReturnType<typeof startDeepgramFake>>;
let openai: Awaited<ReturnType<typeof startOpenAIFake>>;
let elevenlabs: Awaited<ReturnType<typeof startElevenLabsFake>>;

beforeAll(async () => {
  db = createNodeDb(inject("appUrl"), { max: 5 });
  deepgram = await startDeepgramFake({ apiKey: "dg-key" });
  openai = await startOpenAIFake({
    apiKey: "sk-test",
    reply: (m) => (m.at(-1)?.content === "Hi, this is Ada." ? "Hi Ada! About your order." : "Sorry?"),
  });
  elevenlabs = await startElevenLabsFake({ apiKey: "xi-key" });
  relay = await listenRelay({
    db,
    tokenSecret,
    twilioAuthToken,
    providers: fakeBackedProviders(
      { deepgram: deepgram.url, openai: openai.baseURL, elevenlabs: elevenlabs.url },
      { firstTokenMs: 2000, firstAudioMs: 2000 },
    ),
  });
});
afterAll(async () => {
  await relay.stop();
  await Promise.all([deepgram.stop(), openai.stop(), elevenlabs.stop()]);
  await db.$pool.end();
});

const GOOGLE =
  "Hi, the person you're calling is using a screening service from Google, and will get a copy of this conversation. Go ahead and say your name and why you're calling.";

/** An outbound call as the edge leaves it once a person (as far as Twilio could tell) picked up. */
async function outboundCall(screening: { action: string; message?: string }, answeredBy: string | null = null) {
  const t = await seedTenant(ownerUrl());
  await ownerQuery(
    ownerUrl(),
    "update agents set first_message = 'Hi {{name}}, this is Acme.', silence_timeout_seconds = 0 where id = $1",
    [t.agentId],
  );
  const [call] = await ownerQuery<{ id: string }>(
    ownerUrl(),
    `insert into calls (tenant_id, agent_id, direction, status, variables, machine_detection, voicemail_message, screening_action, screening_message, answered_by)
     values ($1, $2, 'outbound', 'ringing', $3, 'off', 'Hi {{name}}, Acme here. Please call us back.', $4, $5, $6) returning id`,
    [t.tenantId, t.agentId, { name: "Ada" }, screening.action, screening.message ?? null, answeredBy],
  );
  const token = await signStreamToken(tokenSecret, { callId: call!.id, tenantId: t.tenantId, agentId: t.agentId }, 60);
  return { callId: call!.id, tenantId: t.tenantId, token };
}
type Stream = Awaited<ReturnType<typeof openMediaStream>>;
/** The callee says a scripted line, then keeps quiet (sending silence, as a line does) until `until`. */
async function say(twilio: Stream, text: string, until: () => Promise<boolean> | boolean, what: string) {
  deepgram.script(text);
  await twilio.speak(400);
  const end = Date.now() + 15_000;
  while (!(await until())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} after "${text}"`);
    if (twilio.closed() === null) await twilio.silence(100);
    await new Promise((r) => setImmediate(r));
  }
}
const row = (callId: string) =>
  ownerQuery<{ answered_by: string | null; end_reason: string | null }>(
    ownerUrl(),
    "select answered_by, end_reason from calls where id = $1",
    [callId],
  ).then((r) => r[0]!);
const turns = (callId: string) =>
  ownerQuery<{ speaker: string; text: string }>(
    ownerUrl(),
    "select speaker, text from call_turns where call_id = $1 order by seq",
    [callId],
  );
const screenedEvents = (callId: string) =>
  ownerQuery<{ payload: { action: string; language: string } }>(
    ownerUrl(),
    "select payload from call_events where call_id = $1 and type = 'call.screened'",
    [callId],
  );
const isEnd = (n: string) => /^turn-\d+$/.test(n);

describe("a call-screening assistant on an outbound call", () => {
  it("hears the purpose stated, and the conversation goes on once the person picks up", async () => {
    const call = await outboundCall({ action: "state_purpose", message: "Acme calling for {{name}} about order 17." });
    const twilio = await openMediaStream(relay.url, { token: call.token }, twilioAuthToken);
    await twilio.waitFor("the greeting", () => twilio.marks().some(isEnd));
    const agentSaid = async (text: string) => (await turns(call.callId)).some((t) => t.text === text);
    await say(twilio, GOOGLE, () => agentSaid("Acme calling for Ada about order 17."), "the purpose line");
    await say(twilio, "Hi, this is Ada.", () => agentSaid("Hi Ada! About your order."), "the agent's reply");
    expect(await row(call.callId)).toMatchObject({ answered_by: "screening", end_reason: null });
    expect((await screenedEvents(call.callId)).map((e) => e.payload)).toEqual([
      expect.objectContaining({ action: "state_purpose", language: "en" }),
    ]);
    expect((await turns(call.callId)).map((t) => `${t.speaker}: ${t.text}`)).toEqual([
      "agent: Hi Ada, this is Acme.",
      `caller: ${GOOGLE}`,
      "agent: Acme calling for Ada about order 17.",
      "caller: Hi, this is Ada.",
      "agent: Hi Ada! About your order.",
    ]);
    await twilio.hangUp();
    await eventually(async () => (await row(call.callId)).end_reason, 10_000, "the call to close");
    expect((await row(call.callId)).answered_by).toBe("screening");
  });

  it("leaves the voicemail message and hangs up, when told to (the prompt in Spanish)", async () => {
    const call = await outboundCall({ action: "leave_message" });
    const twilio = await openMediaStream(relay.url, { token: call.token }, twilioAuthToken);
    await twilio.waitFor("the greeting", () => twilio.marks().some(isEnd));
    await say(
      twilio,
      "Hola, la persona a la que llamas está usando un servicio de filtrado de llamadas. Di tu nombre y el motivo de tu llamada.",
      () => twilio.closed() !== null,
      "the relay to hang up",
    );
    const ended = await eventually(
      async () => (await row(call.callId)).end_reason && row(call.callId),
      10_000,
      "the close",
    );
    expect(ended).toEqual({ answered_by: "screening", end_reason: "voicemail" });
    expect((await turns(call.callId)).filter((t) => t.speaker === "agent").at(-1)!.text).toBe(
      "Hi Ada, Acme here. Please call us back.",
    );
  });

  it("hangs up without a word more, when told to (the prompt in German), though detection took the assistant for a person", async () => {
    // Twilio's AMD hears a voice that talks like a person: it said `human`.
    const call = await outboundCall({ action: "hang_up" }, "human");
    const twilio = await openMediaStream(relay.url, { token: call.token }, twilioAuthToken);
    await twilio.waitFor("the greeting", () => twilio.marks().some(isEnd));
    await say(
      twilio,
      "Hallo, die Person, die Sie anrufen, verwendet die Anrufprüfung. Bitte nennen Sie Ihren Namen und den Grund Ihres Anrufs.",
      () => twilio.closed() !== null,
      "the relay to hang up",
    );
    const ended = await eventually(
      async () => (await row(call.callId)).end_reason && row(call.callId),
      10_000,
      "the close",
    );
    expect(ended).toEqual({ answered_by: "screening", end_reason: "screening" });
    expect((await turns(call.callId)).filter((t) => t.speaker === "agent").map((t) => t.text)).toEqual([
      "Hi Ada, this is Acme.",
    ]);
    expect((await screenedEvents(call.callId))[0]!.payload).toMatchObject({ action: "hang_up", language: "de" });
  });

  it("takes a person asking who calls for a person, and never screens an inbound call", async () => {
    const call = await outboundCall({ action: "hang_up" });
    const twilio = await openMediaStream(relay.url, { token: call.token }, twilioAuthToken);
    await twilio.waitFor("the greeting", () => twilio.marks().some(isEnd));
    await say(twilio, "Sorry, who is calling?", async () => (await turns(call.callId)).length >= 3, "the reply");
    expect((await turns(call.callId)).at(-1)).toEqual({ speaker: "agent", text: "Sorry?" });
    expect(await row(call.callId)).toEqual({ answered_by: null, end_reason: null });
    await twilio.hangUp();

    // An inbound caller reading a screening prompt aloud is a caller: the agent answers, the call has no outcome.
    const inbound = await ringingCall(db, {
      ownerUrl: ownerUrl(),
      tokenSecret,
      settings: { silence_timeout_seconds: 0 },
    });
    const caller = await openMediaStream(relay.url, { token: inbound.token }, twilioAuthToken);
    await caller.waitFor("the greeting", () => caller.marks().some(isEnd));
    await say(caller, GOOGLE, async () => (await turns(inbound.callId)).length >= 3, "the reply");
    expect((await turns(inbound.callId)).at(-1)).toEqual({ speaker: "agent", text: "Sorry?" });
    expect(await row(inbound.callId)).toEqual({ answered_by: null, end_reason: null });
    expect(await screenedEvents(inbound.callId)).toEqual([]);
    await caller.hangUp();
  });
});
