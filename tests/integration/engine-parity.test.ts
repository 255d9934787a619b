import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { twilioTransfer } from "../../media-relay/twilio-rest";
import { limitLines } from "../../voice/call-limits";
import { lines } from "../../voice/conversation";
import { startDeepgramFake } from "../fakes/deepgram";
import { startElevenLabsFake } from "../fakes/elevenlabs";
import { startOpenAIFake } from "../fakes/openai";
import { startRealtimeFake } from "../fakes/openai-realtime";
import { startTwilioFake } from "../fakes/twilio/api";
import { openMediaStream } from "../fakes/twilio-media-stream";
import { listenRelay, ringingCall } from "../support/relay";
import { ownerQuery } from "../support/seed";
import { fakeBackedProviders } from "../support/voice";
import { eventually } from "../support/wait";

/**
 * One table of agent settings, each run through both engines (cascade and speech-to-speech) with
 * the same script for the models: a call must end the same way in either, with the same last line
 * and the same transcript roles. Where the engines drifted apart, the cascade's way is the rule.
 */
type Mode = "cascade" | "speech_to_speech";
type Scripted = { text: string; tool?: { name: string; arguments: Record<string, unknown> }; again?: boolean };
type Row = {
  name: string;
  settings: Record<string, unknown>;
  /** What the caller says once the greeting has been heard (or at once, with no greeting). */
  says?: string;
  /** Twilio refuses the transfer (the relay's credentials are wrong). */
  twilioRefuses?: boolean;
  /** The caller's leg ends here: once Twilio has the transfer. */
  hangUpOnTransfer?: boolean;
  ends: { reason: string; first: string; last: string; speakers: string[] };
};

const GREETING = "Hello, thanks for calling Acme.";
const script: Record<string, Scripted> = {
  "What are your opening hours?": { text: "We are open nine to five. Goodbye!" },
  "Thanks, bye.": { text: "Goodbye!" },
  "Press two, please.": { text: "Pressing two.", tool: { name: "send_dtmf", arguments: { digits: "2" } } },
  "That's all, thanks.": { text: "Glad to help. Bye!", tool: { name: "end_call", arguments: {} } },
  "Can I talk to a person?": { text: "Transferring you now.", tool: { name: "transfer_call", arguments: {} } },
  // A model that calls its tool again after every result: a reply stops after three rounds.
  "Keep pressing one.": { text: "Pressing one.", tool: { name: "send_dtmf", arguments: { digits: "1" } }, again: true },
};
/** The model's words after a tool's result, given what the caller last said. */
const goOn = (heard: string) => {
  const s = script[heard];
  return s?.again && s.tool ? { text: "", tool: s.tool } : "Done.";
};
const endOn = (...phrases: string[]) => ({ end_call_phrases: phrases });
const withTools = (...tools: Record<string, unknown>[]) => ({ tools: JSON.stringify(tools) });
const transferTo = withTools({ type: "transfer_call", number: "+14155550999" });

const rows: Row[] = [
  {
    name: "the agent's first message is the first thing said",
    settings: { first_message: "Hi, you've reached Acme's front desk.", ...endOn("goodbye") },
    says: "OK, goodbye.",
    ends: {
      reason: "end_call_phrase",
      first: "Hi, you've reached Acme's front desk.",
      last: limitLines.goodbye,
      speakers: ["agent", "caller", "agent"],
    },
  },
  {
    name: "no first message: the agent waits for the caller",
    settings: { first_message: "", ...endOn("goodbye") },
    says: "What are your opening hours?",
    ends: {
      reason: "end_call_phrase",
      first: "We are open nine to five. Goodbye!",
      last: "We are open nine to five. Goodbye!",
      speakers: ["caller", "agent"],
    },
  },
  {
    name: "the recording disclosure comes before the first message",
    settings: { record_calls: true, recording_disclosure: "This call is recorded.", ...endOn("goodbye") },
    says: "OK, goodbye.",
    ends: {
      reason: "end_call_phrase",
      first: `This call is recorded. ${GREETING}`,
      last: limitLines.goodbye,
      speakers: ["agent", "caller", "agent"],
    },
  },
  {
    name: "the maximum length: its last line, then the end",
    settings: { max_duration_seconds: 2 },
    ends: { reason: "max_duration", first: GREETING, last: limitLines.timeLimit, speakers: ["agent", "agent"] },
  },
  {
    name: "silence: a reprompt, then the goodbye",
    settings: { silence_timeout_seconds: 1 },
    ends: {
      reason: "silence_timeout",
      first: GREETING,
      last: limitLines.silenceGoodbye,
      speakers: ["agent", "agent", "agent"],
    },
  },
  {
    name: "the caller says an end-call phrase: the agent's goodbye, not a reply",
    settings: endOn("goodbye"),
    says: "OK, goodbye.",
    ends: {
      reason: "end_call_phrase",
      first: GREETING,
      last: limitLines.goodbye,
      speakers: ["agent", "caller", "agent"],
    },
  },
  {
    name: "the agent says an end-call phrase: the end once it is heard",
    settings: endOn("goodbye"),
    says: "Thanks, bye.",
    ends: { reason: "end_call_phrase", first: GREETING, last: "Goodbye!", speakers: ["agent", "caller", "agent"] },
  },
  {
    name: "a tool's result goes back to the model, which goes on",
    settings: { ...withTools({ type: "send_dtmf" }), ...endOn("done") },
    says: "Press two, please.",
    ends: {
      reason: "end_call_phrase",
      first: GREETING,
      last: "Done.",
      speakers: ["agent", "caller", "agent", "tool", "agent"],
    },
  },
  {
    name: "a model that calls its tool after every result: three rounds, then the agent waits",
    settings: { ...withTools({ type: "send_dtmf" }), silence_timeout_seconds: 1 },
    says: "Keep pressing one.",
    ends: {
      reason: "silence_timeout",
      first: GREETING,
      last: limitLines.silenceGoodbye,
      speakers: ["agent", "caller", "agent", "tool", "tool", "tool", "agent", "agent"],
    },
  },
  {
    name: "the end_call tool: the end once the words before it are heard",
    settings: withTools({ type: "end_call" }),
    says: "That's all, thanks.",
    ends: {
      reason: "end_call_tool",
      first: GREETING,
      last: "Glad to help. Bye!",
      speakers: ["agent", "caller", "agent", "tool"],
    },
  },
  {
    name: "a transfer Twilio carries out: the call is handed over once the announcement is heard",
    settings: transferTo,
    says: "Can I talk to a person?",
    hangUpOnTransfer: true,
    ends: {
      reason: "transferred",
      first: GREETING,
      last: "Transferring you now.",
      speakers: ["agent", "caller", "agent", "tool"],
    },
  },
  {
    name: "a transfer that fails: the agent says it could not, then hangs up",
    settings: transferTo,
    says: "Can I talk to a person?",
    twilioRefuses: true,
    ends: {
      reason: "transfer_failed",
      first: GREETING,
      last: lines.transferFailed,
      speakers: ["agent", "caller", "agent", "tool", "agent"],
    },
  },
];

const ownerUrl = () => inject("ownerUrl");
const tokenSecret = `st-${crypto.randomUUID()}`;
const twilioAuthToken = `tw-${crypto.randomUUID()}`;
const accountSid = `AC${"2".repeat(32)}`;
let db: NodeDb;
let deepgram: Awaited<ReturnType<typeof startDeepgramFake>>;
let openai: Awaited<ReturnType<typeof startOpenAIFake>>;
let elevenlabs: Awaited<ReturnType<typeof startElevenLabsFake>>;
let realtime: Awaited<ReturnType<typeof startRealtimeFake>>;
let twilioRest: Awaited<ReturnType<typeof startTwilioFake>>;
let relay: Awaited<ReturnType<typeof listenRelay>>;
let refusing: Awaited<ReturnType<typeof listenRelay>>;
const transcripts: string[] = [];

beforeAll(async () => {
  db = createNodeDb(inject("appUrl"), { max: 5 });
  deepgram = await startDeepgramFake({ apiKey: "dg-key" });
  openai = await startOpenAIFake({
    apiKey: "sk-test",
    reply: (m) => {
      const last = m.at(-1)!;
      if (last.role === "tool") {
        const next = goOn(m.findLast((x) => x.role === "user")?.content ?? "");
        return typeof next === "string" ? next : { tools: [next.tool] };
      }
      const s = script[last.content ?? ""];
      return s?.tool ? { text: s.text, tools: [s.tool] } : (s?.text ?? "Sorry?");
    },
  });
  elevenlabs = await startElevenLabsFake({ apiKey: "xi-key" });
  realtime = await startRealtimeFake({
    apiKey: "sk-realtime",
    transcripts,
    reply: (heard) => {
      const s = script[heard];
      return s?.tool ? { text: s.text, tool: s.tool } : (s?.text ?? "Sorry?");
    },
    goOn,
  });
  twilioRest = await startTwilioFake({ accountSid, authToken: twilioAuthToken });
  const relayWith = (authToken: string) =>
    listenRelay({
      db,
      tokenSecret,
      twilioAuthToken,
      providers: fakeBackedProviders(
        { deepgram: deepgram.url, openai: openai.baseURL, elevenlabs: elevenlabs.url },
        { firstTokenMs: 2000, firstAudioMs: 2000 },
      ),
      realtimeFor: async () => ({ apiKey: "sk-realtime", url: realtime.url, ca: realtime.ca }),
      transfer: twilioTransfer({ accountSid, authToken, apiUrl: twilioRest.url }),
    });
  relay = await relayWith(twilioAuthToken);
  refusing = await relayWith("not-the-auth-token");
});
afterAll(async () => {
  await Promise.all([relay.stop(), refusing.stop()]);
  await Promise.all([deepgram.stop(), openai.stop(), elevenlabs.stop(), realtime.stop(), twilioRest.stop()]);
  await db.$pool.end();
});

/** A mark that says a whole agent turn was played: `turn-N` (cascade) or `rt.<item>.end` (speech-to-speech). */
const isEndMark = (name: string) => /^turn-\d+$/.test(name) || name.endsWith(".end");

/** Runs one row's call in `mode` until the relay (or the caller) ends it; its record once closed. */
async function run(mode: Mode, row: Row) {
  const call = await ringingCall(db, {
    ownerUrl: ownerUrl(),
    tokenSecret,
    settings: { mode, silence_timeout_seconds: 0, ...row.settings },
  });
  const twilio = await openMediaStream(
    (row.twilioRefuses ? refusing : relay).url,
    { token: call.token },
    twilioAuthToken,
  );
  if (row.says) {
    if (row.settings.first_message !== "") await twilio.waitFor("the greeting", () => twilio.marks().some(isEndMark));
    const updates = twilioRest.callUpdates.length;
    if (mode === "cascade") deepgram.script(row.says);
    else transcripts.push(row.says);
    await twilio.speak(400);
    if (row.hangUpOnTransfer) {
      await twilio.silence(400);
      await eventually(async () => twilioRest.callUpdates.length > updates, 10_000, "the transfer");
      await twilio.hangUp(); // Twilio ends the stream when the call's TwiML is replaced
    }
  }
  // The caller stays on the line, in silence, until the relay hangs up.
  const until = Date.now() + 20_000;
  while (twilio.closed() === null) {
    if (Date.now() > until) throw new Error(`the relay did not end "${row.name}"`);
    await twilio.silence(100);
    await new Promise((r) => setImmediate(r));
  }
  const reason = await eventually(
    async () => {
      const [r] = await ownerQuery<{ end_reason: string | null }>(
        ownerUrl(),
        "select end_reason from calls where id = $1",
        [call.callId],
      );
      return r?.end_reason;
    },
    10_000,
    "the call to close",
  );
  const turns = await ownerQuery<{ speaker: string; text: string }>(
    ownerUrl(),
    "select speaker, text from call_turns where call_id = $1 order by seq",
    [call.callId],
  );
  const agent = turns.filter((t) => t.speaker === "agent").map((t) => t.text);
  return { reason, first: agent[0], last: agent.at(-1), speakers: turns.map((t) => t.speaker) };
}

describe.each<Mode>(["cascade", "speech_to_speech"])("a %s call ends as the table says", (mode) => {
  it.each(rows)("$name", async (row) => {
    expect(await run(mode, row)).toEqual(row.ends);
  });
});
