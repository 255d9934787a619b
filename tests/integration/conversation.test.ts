import type { Server } from "node:http";
import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { extractDocument } from "../../app/knowledge/extract.server";
import { ingestDocument } from "../../app/knowledge/ingest.server";
import type { AgentTool } from "../../core/agent-tools";
import { decodeMulaw } from "../../core/audio/mulaw";
import { loadRelayConfig } from "../../core/config";
import { createPiiCipher, generatePiiKey } from "../../core/crypto/pii";
import { sandboxEmbedder } from "../../core/knowledge/embeddings";
import { registry } from "../../core/telemetry/metrics";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { addDocument, createKnowledgeBase } from "../../db/queries/knowledge";
import { setProviderKey, tenantProviderKeys } from "../../db/queries/provider-credentials";
import { sealToolHeaders } from "../../db/tool-headers";
import { createRelayServer } from "../../media-relay/server";
import { twilioTransfer } from "../../media-relay/twilio-rest";
import { providerSource } from "../../voice/providers";
import { runTool } from "../../voice/tools";
import { startDeepgramFake } from "../fakes/deepgram";
import { startElevenLabsFake } from "../fakes/elevenlabs";
import { type Reply, startOpenAIFake } from "../fakes/openai";
import { startTwilioFake } from "../fakes/twilio/api";
import { openMediaStream } from "../fakes/twilio-media-stream";
import { corpus } from "../fixtures/knowledge-corpus";
import { detectDtmf } from "../support/dtmf-detect";
import { ringingCall as ringingCallWith } from "../support/relay";
import { ownerQuery } from "../support/seed";
import { fakeBackedProviders } from "../support/voice";
import { eventually } from "../support/wait";

const ownerUrl = () => inject("ownerUrl");
const tokenSecret = `st-${crypto.randomUUID()}`;
const twilioAuthToken = `tw-${crypto.randomUUID()}`;
const accountSid = `AC${"0".repeat(32)}`;
const replies: Record<string, Reply> = {
  "Are you open on Sunday?": { tools: [{ name: "check_hours", arguments: { day: "sunday" } }] },
  "Can I talk to a person?": { text: "Transferring you now.", tools: [{ name: "transfer_call", arguments: {} }] },
  "I want to talk to someone about my bill.": {
    text: "Let me connect you with our billing team.",
    tools: [{ name: "transfer_call", arguments: { summary: "Billing question from Ada about a double charge." } }],
  },
  "Press one, then hash.": { text: "Pressing them now.", tools: [{ name: "send_dtmf", arguments: { digits: "1#" } }] },
  "Press the A key.": { tools: [{ name: "send_dtmf", arguments: { digits: "A" } }] },
  "That's all, thanks.": { text: "Glad to help. Bye!", tools: [{ name: "end_call", arguments: {} }] },
  "What are your opening hours?": "We are open nine to five. Anything else?",
  "Do you do house calls?": "Yes, we do house calls. They cost fifty dollars. We cover the whole city.",
  "Thanks, bye.": "Goodbye!",
  "How much is a men's cut?": "A men's cut is thirty-five dollars.",
  "Do you take Apple Pay?": { tools: [{ name: "search_knowledge", arguments: { query: "Apple Pay" } }] },
};
let db: NodeDb;
let relay: ReturnType<typeof createRelayServer>;
let relayUrl: string;
let deepgram: Awaited<ReturnType<typeof startDeepgramFake>>;
let openai: Awaited<ReturnType<typeof startOpenAIFake>>;
let elevenlabs: Awaited<ReturnType<typeof startElevenLabsFake>>;
let llmDown = false;
let twilioRest: Awaited<ReturnType<typeof startTwilioFake>>;
const hoursRequests: string[] = [];
/** The Authorization header of each request the tool endpoint received. */
const hoursAuth: (string | undefined)[] = [];
/** The relay's cipher: it opens agents' HTTP tools' header values. */
const relayPii = createPiiCipher({ keys: generatePiiKey("relay"), blindIndexKey: "relay-bi" });
const hours = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  hoursRequests.push(`${req.method} ${req.url} ${Buffer.concat(chunks).toString()}`);
  hoursAuth.push(req.headers.authorization);
  // A slow back office: the tool's answer takes longer than the filler's wait (not a test's sleep).
  if (req.url === "/slow-hours") await new Promise((r) => setTimeout(r, 2300));
  res.writeHead(200, { "content-type": "application/json" }).end('{"open":false,"reopens":"monday 9am"}');
});

beforeAll(async () => {
  db = createNodeDb(inject("appUrl"), { max: 5 });
  deepgram = await startDeepgramFake({ apiKey: "dg-key" });
  openai = await startOpenAIFake({
    apiKey: ["sk-test", "sk-tenant-own-key"],
    reply: (m) => {
      const last = m.at(-1)!;
      if (last.role === "tool" && last.content?.includes("Apple Pay")) return "Yes, we accept Apple Pay.";
      if (last.role === "tool")
        return last.content?.includes('"open":false')
          ? "No, we are closed on Sundays. We reopen Monday at nine."
          : "Done.";
      return replies[last.content ?? ""] ?? "Sorry?";
    },
    failWith: () => (llmDown ? 500 : undefined),
  });
  twilioRest = await startTwilioFake({ accountSid, authToken: twilioAuthToken });
  await new Promise<void>((r) => hours.listen(0, "127.0.0.1", r));
  elevenlabs = await startElevenLabsFake({ apiKey: "xi-key" });
  relay = createRelayServer({
    db,
    tokenSecret,
    twilioAuthToken,
    providers: fakeBackedProviders(
      { deepgram: deepgram.url, openai: openai.baseURL, elevenlabs: elevenlabs.url },
      { firstTokenMs: 2000, firstAudioMs: 2000 },
    ),
    transfer: twilioTransfer({
      accountSid,
      authToken: twilioAuthToken,
      apiUrl: twilioRest.url,
      edgeUrl: "https://edge.bvrai.test",
    }),
    allowToolAddresses: ["127.0.0.1"],
    pii: relayPii,
  });
  const port = await new Promise<number>((r) =>
    (relay.server as Server).listen(0, "127.0.0.1", () => r((relay.server.address() as { port: number }).port)),
  );
  relayUrl = `ws://127.0.0.1:${port}/twilio`;
});
afterAll(async () => {
  for (const ws of relay.wss.clients) ws.terminate();
  relay.server.close();
  await new Promise((r) => setTimeout(r, 300)); // let the terminated calls close
  await Promise.all([deepgram.stop(), openai.stop(), elevenlabs.stop(), twilioRest.stop()]);
  hours.close();
  await db.$pool.end();
});

const ringingCall = (settings: Record<string, unknown> = {}) =>
  ringingCallWith(db, { ownerUrl: ownerUrl(), tokenSecret, settings });

/** A call that has heard the greeting. */
async function answered(token: string, url = relayUrl) {
  const twilio = await openMediaStream(url, { token }, twilioAuthToken);
  await twilio.waitFor("the greeting", () => twilio.marks().includes("turn-0"));
  return twilio;
}
/** The caller says one (scripted) thing: 400 ms of speech, then enough silence to end the turn. */
const utter = async (twilio: Awaited<ReturnType<typeof openMediaStream>>) => {
  await twilio.speak(400);
  await twilio.silence(400);
};

const turnsOf = (callId: string) =>
  ownerQuery<{
    seq: number;
    speaker: string;
    text: string;
    interrupted: boolean;
    latency_ms: number | null;
    latency: Record<string, number> | null;
  }>(
    ownerUrl(),
    "select seq, speaker, text, interrupted, latency_ms, latency from call_turns where call_id = $1 order by seq",
    [callId],
  );

describe("a cascade conversation (Deepgram → OpenAI → ElevenLabs fakes, real protocols)", () => {
  it("greets, answers two questions, is interrupted mid-reply, and keeps only what the caller heard", async () => {
    const call = await ringingCall();
    deepgram.script("What are your opening hours?", "Do you do house calls?", "Thanks, bye.");
    const twilio = await openMediaStream(relayUrl, { token: call.token }, twilioAuthToken);

    // Greeting: one sentence, its mark, then the end-of-turn mark.
    await twilio.waitFor("the greeting", () => twilio.marks().includes("turn-0"));
    expect(twilio.marks()).toEqual(["turn-0.0", "turn-0"]);
    expect(elevenlabs.spoken[0]).toEqual({ voice: "sandbox-alloy", text: "Hello, thanks for calling Acme." });

    // First question: the reply arrives sentence by sentence.
    await utter(twilio);
    await twilio.waitFor("the first answer", () => twilio.marks().includes("turn-2"));
    expect(twilio.marks().slice(2)).toEqual(["turn-2.0", "turn-2.1", "turn-2"]);

    // Second question: the caller hears the first sentence of the reply, then talks over it.
    twilio.holdMarks();
    await utter(twilio);
    await twilio.waitFor("the second answer's first sentence", () => twilio.held().includes("turn-4.0"));
    twilio.play("turn-4.0");
    await new Promise((r) => setTimeout(r, 100));
    await twilio.speak(300);
    await twilio.waitFor("clear", () => twilio.received.some((m) => m.event === "clear"));
    await twilio.silence(400);
    await twilio.waitFor("the goodbye", () => twilio.held().includes("turn-6"));
    twilio.play("turn-6.0");
    twilio.play("turn-6");
    await eventually(async () => (await turnsOf(call.callId)).some((t) => t.seq === 6), 10_000, "the goodbye turn");
    await twilio.hangUp();

    const turns = await eventually(
      async () => {
        const rows = await turnsOf(call.callId);
        return rows.length >= 7 && rows;
      },
      10_000,
      "all turns",
    );
    expect(turns.map((t) => [t.seq, t.speaker, t.text, t.interrupted])).toEqual([
      [0, "agent", "Hello, thanks for calling Acme.", false],
      [1, "caller", "What are your opening hours?", false],
      [2, "agent", "We are open nine to five. Anything else?", false],
      [3, "caller", "Do you do house calls?", false],
      [4, "agent", "Yes, we do house calls.", true],
      [5, "caller", "Thanks, bye.", false],
      [6, "agent", "Goodbye!", false],
    ]);
    // Each reply has its latency, by stage, and the relay's metrics saw every one of them.
    const replies = turns.filter((t) => t.speaker === "agent" && t.seq > 0);
    for (const t of replies) {
      expect(t.latency_ms).toBeGreaterThanOrEqual(0);
      expect(Object.keys(t.latency ?? {}).sort()).toEqual(["llmMs", "networkMs", "platformMs", "sttMs", "ttsMs"]);
    }
    const metric = async (name: string, labels: Record<string, string> = {}) =>
      (await registry.getSingleMetric(name)!.get()).values
        .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
        .reduce((n, v) => n + v.value, 0);
    expect(await metric("bvrai_turn_latency_seconds", { le: "+Inf" })).toBeGreaterThanOrEqual(replies.length);
    expect(
      await metric("bvrai_provider_latency_seconds", { le: "+Inf", provider: "llm", vendor: "openai" }),
    ).toBeGreaterThanOrEqual(3);
    expect(
      await metric("bvrai_provider_latency_seconds", { le: "+Inf", provider: "stt", vendor: "deepgram" }),
    ).toBeGreaterThanOrEqual(1);
    // The model was told only what the caller heard of the interrupted reply.
    const last = openai.requests.at(-1)!.messages;
    expect(last.map((m) => m.content)).toContain("Yes, we do house calls.");
    expect(last.map((m) => m.content).join(" ")).not.toContain("fifty dollars");
    expect(openai.requests.every((r) => r.stream === true && r.model === "gpt-4o-mini")).toBe(true);
    expect(deepgram.connections[0]!.query.get("model")).toBe("nova-3");
  });
});

const eventTypes = (callId: string) =>
  ownerQuery<{ type: string }>(ownerUrl(), "select type from call_events where call_id = $1", [callId]).then((r) =>
    r.map((e) => e.type),
  );

describe("turn-taking: sound that is not an interruption (docs/decisions/0042)", () => {
  /** The caller asks, hears the first sentence of the reply, then makes `sound`; every mark is then played. */
  async function overTheReply(afterwards: string, sound: (t: Awaited<ReturnType<typeof answered>>) => Promise<void>) {
    const call = await ringingCall();
    deepgram.script("Do you do house calls?", afterwards);
    const twilio = await answered(call.token);
    twilio.holdMarks();
    await utter(twilio);
    await twilio.waitFor("the reply's first sentence", () => twilio.held().includes("turn-2.0"));
    twilio.play("turn-2.0");
    await sound(twilio);
    await twilio.waitFor("a pause", () => twilio.received.some((m) => m.event === "clear"));
    await twilio.silence(900);
    await eventually(async () => (await eventTypes(call.callId)).includes("interruption.resumed"), 10_000, "resume");
    // Whatever the resume sent again is now heard, up to the reply's end mark.
    await twilio.waitFor(
      "the reply's end mark, sent or sent again",
      () => twilio.held().some((n) => n === "turn-2" || n.startsWith("turn-2~")) || twilio.marks().includes("turn-2"),
    );
    for (const name of twilio.held()) twilio.play(name);
    const turns = await eventually(
      async () => {
        const rows = await turnsOf(call.callId);
        return rows.some((t) => t.seq === 2) && rows;
      },
      10_000,
      "the reply's turn",
    );
    await twilio.hangUp();
    return { call, turns, twilio };
  }

  it("a voiced sound without words (a hum) pauses the agent, which resumes where it was: the reply is heard whole, and the model is not asked again", async () => {
    const asked = openai.requests.length;
    const { call, turns, twilio } = await overTheReply("", (t) => t.speak(300));
    expect(turns.map((t) => [t.seq, t.speaker, t.text, t.interrupted])).toEqual([
      [0, "agent", "Hello, thanks for calling Acme.", false],
      [1, "caller", "Do you do house calls?", false],
      [2, "agent", "Yes, we do house calls. They cost fifty dollars. We cover the whole city.", false],
    ]);
    expect(openai.requests.length - asked).toBe(1);
    expect(twilio.received.filter((m) => m.event === "clear")).toHaveLength(1);
    expect(await eventTypes(call.callId)).toEqual(
      expect.arrayContaining(["interruption.paused", "interruption.resumed"]),
    );
  });

  it("waits for the thought: a caller who stops on “for” and goes on is one turn, answered once", async () => {
    const call = await ringingCall();
    deepgram.script("I'd like to book for", "Tuesday.");
    const twilio = await answered(call.token);
    const asked = openai.requests.length;
    await utter(twilio);
    await twilio.speak(300);
    await twilio.silence(400);
    const turns = await eventually(
      async () => {
        const rows = await turnsOf(call.callId);
        return rows.length >= 3 && rows;
      },
      10_000,
      "the reply",
    );
    await twilio.hangUp();
    expect(turns.map((t) => [t.speaker, t.text])).toEqual([
      ["agent", "Hello, thanks for calling Acme."],
      ["caller", "I'd like to book for Tuesday."],
      ["agent", "Sorry?"],
    ]);
    expect(openai.requests.length - asked).toBe(1);
  });

  it("a backchannel (“Mhm.”) is listening, not a turn: the agent resumes and no caller turn is recorded", async () => {
    const { call, turns } = await overTheReply("Mhm.", (t) => t.speak(350));
    expect(turns.map((t) => [t.speaker, t.text, t.interrupted])).toEqual([
      ["agent", "Hello, thanks for calling Acme.", false],
      ["caller", "Do you do house calls?", false],
      ["agent", "Yes, we do house calls. They cost fifty dollars. We cover the whole city.", false],
    ]);
    expect(await eventTypes(call.callId)).toEqual(
      expect.arrayContaining(["caller.backchannel", "interruption.resumed"]),
    );
  });
});

const callRow = (callId: string) =>
  ownerQuery<{ status: string; end_reason: string | null }>(
    ownerUrl(),
    "select status, end_reason from calls where id = $1",
    [callId],
  ).then((r) => r[0]!);
const events = (callId: string) =>
  ownerQuery<{ type: string }>(ownerUrl(), "select type from call_events where call_id = $1 order by created_at", [
    callId,
  ]).then((r) => r.map((e) => e.type));

describe("how a conversation ends", () => {
  it("on a provider outage: one retry, the fallback line, then a clean hang-up, with the call closed and recorded", async () => {
    const call = await ringingCall();
    deepgram.script("What are your opening hours?");
    const twilio = await answered(call.token);
    llmDown = true;
    const before = openai.requests.length;
    try {
      await utter(twilio);
      await twilio.waitFor("the relay to hang up", () => twilio.closed() !== null, 15_000);
    } finally {
      llmDown = false;
    }
    expect(openai.requests.length - before).toBe(2);
    expect(twilio.closed()).toBe(1000);
    expect(
      elevenlabs.spoken
        .slice(-3)
        .map((s) => s.text)
        .join(" "),
    ).toMatch(/technical trouble right now\. Please call back in a few minutes\. Goodbye\.$/);
    expect(await callRow(call.callId)).toEqual({ status: "completed", end_reason: "provider_error" });
    expect(await events(call.callId)).toContain("provider.error");
  });

  it("after the agent says an end-call phrase and the caller has heard it", async () => {
    const call = await ringingCall({ end_call_phrases: ["goodbye"] });
    deepgram.script("Thanks, bye.");
    const twilio = await answered(call.token);
    await utter(twilio);
    await twilio.waitFor("the relay to hang up", () => twilio.closed() !== null);
    expect(twilio.marks().at(-1)).toBe("turn-2");
    expect(await callRow(call.callId)).toEqual({ status: "completed", end_reason: "end_call_phrase" });
  });

  it("after silence: one reprompt, then a goodbye and a hang-up", async () => {
    const call = await ringingCall({ silence_timeout_seconds: 1 });
    const twilio = await openMediaStream(relayUrl, { token: call.token }, twilioAuthToken);
    await twilio.waitFor("the relay to hang up", () => twilio.closed() !== null, 15_000);
    const said = (await turnsOf(call.callId)).map((t) => t.text);
    expect(said).toEqual([
      "Hello, thanks for calling Acme.",
      "Are you still there?",
      "I haven't heard anything, so I'll hang up now. Goodbye.",
    ]);
    expect(await callRow(call.callId)).toEqual({ status: "completed", end_reason: "silence_timeout" });
  });

  it("when the caller hangs up mid-reply: the call closes and the transcript keeps what was heard", async () => {
    const call = await ringingCall();
    deepgram.script("Do you do house calls?");
    const twilio = await answered(call.token);
    twilio.holdMarks();
    await utter(twilio);
    await twilio.waitFor("the reply", () => twilio.held().includes("turn-2.1"));
    twilio.play("turn-2.0");
    await new Promise((r) => setTimeout(r, 100));
    await twilio.hangUp();
    await eventually(
      async () => (await callRow(call.callId)).end_reason === "stream_stopped",
      10_000,
      "the call to close",
    );
    const turns = await turnsOf(call.callId);
    expect(turns.at(-1)).toMatchObject({ speaker: "agent", text: "Yes, we do house calls.", interrupted: true });
  });
});

describe("tools", () => {
  const hoursTool = () => ({
    type: "http",
    name: "check_hours",
    description: "Opening hours for a day",
    parameters: { type: "object", properties: { day: { type: "string" } }, required: ["day"] },
    url: `http://127.0.0.1:${(hours.address() as { port: number }).port}/hours`,
    method: "POST",
    timeoutMs: 2000,
  });

  /** The caller asks what the slow tool answers; the call's turns once the answer is spoken. */
  async function askTheSlowTool(settings: Record<string, unknown> = {}) {
    const slow = { ...hoursTool(), url: hoursTool().url.replace("/hours", "/slow-hours"), timeoutMs: 5000 };
    const call = await ringingCall({ tools: JSON.stringify([slow]), ...settings });
    deepgram.script("Are you open on Sunday?");
    const twilio = await answered(call.token);
    await utter(twilio);
    await eventually(
      async () => (await turnsOf(call.callId)).some((t) => t.text.startsWith("No, we are closed")),
      10_000,
      "the answer",
    );
    await twilio.hangUp();
    return (await turnsOf(call.callId)).map((t) => [t.speaker, t.speaker === "tool" ? "" : t.text]);
  }

  it("fills a slow tool's silence once with the agent's filler line, then speaks the answer; an agent can turn it off", async () => {
    expect(await askTheSlowTool()).toEqual([
      ["agent", "Hello, thanks for calling Acme."],
      ["caller", "Are you open on Sunday?"],
      ["agent", "One moment while I check."],
      ["tool", ""],
      ["agent", "No, we are closed on Sundays. We reopen Monday at nine."],
    ]);
    const off = await askTheSlowTool({ turn_taking: JSON.stringify({ fillerAfterMs: 0 }) });
    expect(off.map(([speaker]) => speaker)).toEqual(["agent", "caller", "tool", "agent"]);
  });

  it("calls the tenant's HTTP tool with the model's arguments and speaks the answer it leads to", async () => {
    const call = await ringingCall({ tools: JSON.stringify([hoursTool()]) });
    deepgram.script("Are you open on Sunday?");
    const twilio = await answered(call.token);
    await utter(twilio);
    await eventually(
      async () => (await turnsOf(call.callId)).some((t) => t.text.startsWith("No, we are closed")),
      10_000,
      "the answer",
    );
    await twilio.hangUp();
    expect(hoursRequests.at(-1)).toBe('POST /hours {"day":"sunday"}');
    const turns = await turnsOf(call.callId);
    expect(turns.map((t) => t.speaker)).toEqual(["agent", "caller", "tool", "agent"]);
    expect(turns[2]!.text).toBe('check_hours({"day":"sunday"}) → {"open":false,"reopens":"monday 9am"}');
    expect(openai.requests.at(-1)!.messages.at(-1)).toMatchObject({
      role: "tool",
      content: '{"open":false,"reopens":"monday 9am"}',
    });
  });

  it("sends the tool's header, stored encrypted, in clear only to the tool; a value saved before encryption still works", async () => {
    const secret = ["Bearer", "hours", crypto.randomUUID()].join("-");
    for (const stored of ["sealed", "legacy plaintext"]) {
      const call = await ringingCall();
      const tools = [{ ...hoursTool(), headers: { Authorization: secret } }] as AgentTool[];
      const sealed =
        stored === "sealed" ? await sealToolHeaders(relayPii, { tenantId: call.tenantId, tools }) : { tools };
      if (!("tools" in sealed)) throw new Error(sealed.problem);
      await ownerQuery(ownerUrl(), "update agents set tools = $1 where id = $2", [
        JSON.stringify(sealed.tools),
        call.agentId,
      ]);
      const [row] = await ownerQuery<{ tools: unknown }>(ownerUrl(), "select tools from agents where id = $1", [
        call.agentId,
      ]);
      if (stored === "sealed") expect(JSON.stringify(row)).not.toContain(secret);
      deepgram.script("Are you open on Sunday?");
      const before = hoursAuth.length;
      const twilio = await answered(call.token);
      await utter(twilio);
      await eventually(async () => hoursAuth.length > before, 10_000, "the tool to be called");
      await twilio.hangUp();
      expect(hoursAuth.at(-1), stored).toBe(secret);
      // Nothing the call wrote (turns, events) holds it.
      expect(
        JSON.stringify(
          await ownerQuery(
            ownerUrl(),
            "select t.text, e.payload from call_turns t full join call_events e on e.call_id = t.call_id where t.call_id = $1 or e.call_id = $1",
            [call.callId],
          ),
        ),
      ).not.toContain(secret);
    }
  });

  it("refuses HTTP tools aimed at loopback or private addresses, even through a DNS name", async () => {
    for (const url of [
      "http://127.0.0.1:9/x",
      "http://localhost:9/x",
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.1/x",
    ]) {
      const outcome = await runTool({ id: "c1", name: "check_hours", arguments: '{"day":"monday"}' }, [
        { ...hoursTool(), url } as never,
      ]);
      expect(JSON.parse(outcome.result).error, url).toMatch(
        /^(127\.0\.0\.1|localhost|169\.254\.169\.254|10\.0\.0\.1) resolves to [0-9a-f.:]+, a (loopback|link-local|private-use) address$/,
      );
    }
  });

  it("transfers the call through Twilio's REST API once the caller has heard it announced", async () => {
    const call = await ringingCall({ tools: JSON.stringify([{ type: "transfer_call", number: "+14155550999" }]) });
    deepgram.script("Can I talk to a person?");
    const twilio = await answered(call.token);
    await utter(twilio);
    await eventually(async () => twilioRest.callUpdates.length > 0 && twilioRest.callUpdates, 10_000, "the transfer");
    expect(twilioRest.callUpdates.at(-1)!.twiml).toBe(
      `<Response><Dial action="https://edge.bvrai.test/twilio/transfer?call=${call.callId}&amp;leg=cold">+14155550999</Dial></Response>`,
    );
    expect(twilio.marks()).toContain("turn-2"); // "Transferring you now." was heard first
    // Twilio now ends the stream itself, as it does when the call's TwiML is replaced.
    await twilio.hangUp();
    await eventually(
      async () => (await callRow(call.callId)).end_reason === "transferred",
      10_000,
      "the call to close",
    );
    expect(await events(call.callId)).toContain("call.transferred");
  });

  it("warm transfer: the caller holds in a conference while the person is rung and briefed with the agent's summary", async () => {
    const call = await ringingCall({
      tools: JSON.stringify([{ type: "transfer_call", number: "+14155550998", mode: "warm" }]),
    });
    const callSid = twilioRest.inboundCall(accountSid, { to: "+14155550123", from: "+14155550177" });
    deepgram.script("I want to talk to someone about my bill.");
    const twilio = await openMediaStream(relayUrl, { token: call.token }, twilioAuthToken, { callSid });
    await twilio.waitFor("the greeting", () => twilio.marks().includes("turn-0"));
    const before = twilioRest.calls.size;
    await utter(twilio);
    await eventually(async () => twilioRest.calls.size > before, 10_000, "the person to be rung");
    const hold = twilioRest.callUpdates.filter((u) => u.callSid === callSid).at(-1)!.twiml;
    const room = `bvrai-transfer-${call.callId}`;
    expect(hold).toBe(
      `<Response><Dial action="https://edge.bvrai.test/twilio/transfer?call=${call.callId}&amp;leg=caller"><Conference beep="false" startConferenceOnEnter="false" endConferenceOnExit="true">${room}</Conference></Dial></Response>`,
    );
    const person = [...twilioRest.calls.values()].at(-1)!;
    expect(person).toMatchObject({
      to: "+14155550998",
      from: "+14155550123",
      status_callback: `https://edge.bvrai.test/twilio/transfer?call=${call.callId}&leg=person`,
    });
    expect(person.twiml).toContain("Billing question from Ada about a double charge.");
    expect(person.twiml).toContain(`<Conference beep="false" endConferenceOnExit="true">${room}</Conference>`);
    await twilio.hangUp();
    await eventually(
      async () => (await callRow(call.callId)).end_reason === "transferred",
      10_000,
      "the call to close",
    );
    const [transferred] = await ownerQuery<{ payload: Record<string, string> }>(
      ownerUrl(),
      "select payload from call_events where call_id = $1 and type = 'call.transferred'",
      [call.callId],
    );
    expect(transferred!.payload).toEqual({ to: "+14155550998", mode: "warm" });
  });

  it("presses keys with send_dtmf: tones a keypad detector hears, the words before them kept, and the talk goes on", async () => {
    const call = await ringingCall({ tools: JSON.stringify([{ type: "send_dtmf" }]) });
    deepgram.script("Press one, then hash.", "Press the A key.");
    const twilio = await answered(call.token);
    const greeting = twilio.audio().length;
    await utter(twilio);
    await eventually(
      async () => (await turnsOf(call.callId)).some((t) => t.text === "Done."),
      10_000,
      "the reply after the keys",
    );
    const afterKeys = twilio.audio().length;
    expect(detectDtmf(decodeMulaw(twilio.audio().subarray(greeting)))).toBe("1#");
    // A key that does not exist goes back to the model as an error; nothing is played.
    await utter(twilio);
    await eventually(
      async () => (await turnsOf(call.callId)).filter((t) => t.speaker === "tool").length === 2,
      10_000,
      "the refused keys",
    );
    await twilio.hangUp();
    const turns = await turnsOf(call.callId);
    expect(turns.map((t) => t.text)).toEqual([
      "Hello, thanks for calling Acme.",
      "Press one, then hash.",
      "Pressing them now.",
      'send_dtmf({"digits":"1#"}) → {"ok":true,"pressed":"1#"}',
      "Done.",
      "Press the A key.",
      'send_dtmf({"digits":"A"}) → {"error":"digits must be 1-32 of 0-9, *, # and w"}',
      "Done.",
    ]);
    expect(detectDtmf(decodeMulaw(twilio.audio().subarray(afterKeys)))).toBe("");
    expect(await events(call.callId)).toEqual(expect.arrayContaining(["call.dtmf_sent"]));
  });

  it("ends the call with the end_call tool after the goodbye is heard", async () => {
    const call = await ringingCall({ tools: JSON.stringify([{ type: "end_call" }]) });
    deepgram.script("That's all, thanks.");
    const twilio = await answered(call.token);
    await utter(twilio);
    await twilio.waitFor("the relay to hang up", () => twilio.closed() !== null);
    expect((await turnsOf(call.callId)).map((t) => t.text)).toContain("Glad to help. Bye!");
    expect(await callRow(call.callId)).toEqual({ status: "completed", end_reason: "end_call_tool" });
  });
});

describe("knowledge", () => {
  /** A knowledge base of the call's own tenant, attached to its agent in `mode`. */
  async function withKnowledge(call: { tenantId: string; agentId: string }, mode: "auto" | "tool") {
    const kb = await createKnowledgeBase(db, { tenantId: call.tenantId, name: "Salon" });
    for (const d of corpus) {
      const { kind, text } = await extractDocument(d.name, new TextEncoder().encode(d.text));
      const doc = await addDocument(db, {
        tenantId: call.tenantId,
        knowledgeBaseId: kb.id,
        name: d.name,
        kind,
        sizeBytes: d.text.length,
        source: text,
      });
      await ingestDocument(
        {
          db,
          pii: createPiiCipher({ keys: generatePiiKey("kb"), blindIndexKey: "bi" }),
          embedderFor: async () => sandboxEmbedder,
        },
        { tenantId: call.tenantId, documentId: doc!.id },
      );
    }
    await ownerQuery(ownerUrl(), "update agents set knowledge_base_ids = $1, retrieval_mode = $2 where id = $3", [
      [kb.id],
      mode,
      call.agentId,
    ]);
  }
  const usedKnowledge = (callId: string) =>
    ownerQuery<{ payload: { how: string; chunks: { id: string; document: string }[] } }>(
      ownerUrl(),
      "select payload from call_events where call_id = $1 and type = 'knowledge.used' order by created_at",
      [callId],
    );

  it("auto: the passages for the caller's question reach the model before it answers, and the call records which", async () => {
    const call = await ringingCall();
    await withKnowledge(call, "auto");
    deepgram.script("How much is a men's cut?");
    const twilio = await answered(call.token);
    await utter(twilio);
    await eventually(
      async () => (await turnsOf(call.callId)).some((t) => t.text === "A men's cut is thirty-five dollars."),
      10_000,
      "the answer",
    );
    await twilio.hangUp();
    const request = openai.requests.findLast((r) => r.messages.some((m) => m.content === "How much is a men's cut?"))!;
    const context = request.messages.find(
      (m) => m.role === "system" && m.content?.startsWith("Passages from the knowledge base"),
    );
    expect(context?.content).toMatch(/\n\[1\] \(prices\.html\) Prices A women's cut .* A men's cut costs \$35\./);
    // Just before the question it answers.
    expect(request.messages.indexOf(context!)).toBe(
      request.messages.findIndex((m) => m.content === "How much is a men's cut?") - 1,
    );
    const [used] = await usedKnowledge(call.callId);
    expect(used!.payload.how).toBe("auto");
    expect(used!.payload.chunks[0]!.document).toBe("prices.html");
    expect(request.tools ?? []).toEqual([]);
  });

  it("tool: the model searches when it decides to; the search and its passages are in the transcript", async () => {
    const call = await ringingCall();
    await withKnowledge(call, "tool");
    deepgram.script("Do you take Apple Pay?");
    const twilio = await answered(call.token);
    await utter(twilio);
    await eventually(
      async () => (await turnsOf(call.callId)).some((t) => t.text === "Yes, we accept Apple Pay."),
      10_000,
      "the answer",
    );
    await twilio.hangUp();
    const turns = await turnsOf(call.callId);
    expect(turns.map((t) => t.speaker)).toEqual(["agent", "caller", "tool", "agent"]);
    expect(turns[2]!.text).toMatch(
      /^search_knowledge\(\{"query":"Apple Pay"\}\) → \[1\] \(payment\.txt\) We accept cash/,
    );
    expect((await usedKnowledge(call.callId))[0]!.payload).toMatchObject({
      how: "tool",
      chunks: [{ document: "payment.txt" }, expect.anything(), expect.anything()],
    });
  });
});

describe("a tenant's own provider keys", () => {
  it("are used for that tenant's calls, and the platform's for everyone else", async () => {
    const piiKeys = generatePiiKey("own");
    const config = loadRelayConfig({
      DATABASE_URL: inject("appUrl"),
      STREAM_TOKEN_SECRET: tokenSecret,
      TWILIO_AUTH_TOKEN: twilioAuthToken,
      PII_ENCRYPTION_KEYS: piiKeys,
      PII_BLIND_INDEX_KEY: "bi",
      STT_PROVIDER: "deepgram",
      DEEPGRAM_API_KEY: "dg-key",
      DEEPGRAM_URL: `${deepgram.url}/v1/listen`,
      LLM_PROVIDER: "openai",
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: openai.baseURL,
      TTS_PROVIDER: "elevenlabs",
      ELEVENLABS_API_KEY: "xi-key",
      ELEVENLABS_URL: elevenlabs.url,
    });
    const pii = createPiiCipher({ keys: piiKeys, blindIndexKey: "bi" });
    const own = createRelayServer({
      db,
      tokenSecret,
      twilioAuthToken,
      providersFor: providerSource(config, (t) => tenantProviderKeys(db, pii, t)).forTenant,
    });
    const port = await new Promise<number>((r) =>
      (own.server as Server).listen(0, "127.0.0.1", () => r((own.server.address() as { port: number }).port)),
    );
    const ownUrl = `ws://127.0.0.1:${port}/twilio`;
    try {
      const byo = await ringingCall();
      await setProviderKey(db, pii, {
        tenantId: byo.tenantId,
        provider: "openai",
        apiKey: "sk-tenant-own-key",
        actor: { userId: null, ip: null },
      });
      const stored = await ownerQuery<{ api_key: string }>(
        ownerUrl(),
        "select api_key from provider_credentials where tenant_id = $1",
        [byo.tenantId],
      );
      expect(stored[0]!.api_key).toMatch(/^pii1\.own\./);
      const platform = await ringingCall();
      for (const [call, key] of [
        [byo, "sk-tenant-own-key"],
        [platform, "sk-test"],
      ] as const) {
        deepgram.script("What are your opening hours?");
        const twilio = await answered(call.token, ownUrl);
        await utter(twilio);
        await twilio.waitFor("the answer", () => twilio.marks().includes("turn-2"));
        await twilio.hangUp();
        expect(openai.requests.at(-1)!.apiKey).toBe(key);
      }
    } finally {
      for (const ws of own.wss.clients) ws.terminate();
      own.server.close();
    }
  });
});
