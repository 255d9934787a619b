import type { Server } from "node:http";
import { startDeepgramFake } from "../fakes/deepgram";
import { startElevenLabsFake } from "../fakes/elevenlabs";
import { startOpenAIFake } from "../fakes/openai";
import { openMediaStream } from "../fakes/twilio-media-stream";
import { freshDatabase } from "../support/databases";
import { ownerQuery, seedTenant } from "../support/seed";
import { eventually } from "../support/wait";

/**
 * `npm run bench:voice`: the voice-to-voice waterfall. Phone calls stream real-time audio into
 * the real relay, whose providers are the Deepgram, OpenAI and ElevenLabs fakes answering with the
 * vendors' published latencies (docs/decisions/0044 has the figures and their sources). Prints,
 * p50/p95: the caller stops speaking → the agent's first audio reaches the caller, stage by stage
 * (recogniser, model, speech, platform) as the relay records each turn, next to the platform's
 * own share; and stream `start` → the greeting's first audio with the greeting cache and without
 * it (a second relay with none), measured in the same run.
 *
 * BENCH_CALLS (default 12) calls each to both relays, BENCH_TURNS (default 3) questions a call;
 * STT_ENDPOINTING_MS, LLM_FIRST_TOKEN_MS, LLM_TOKEN_MS, TTS_FIRST_BYTE_MS change the vendors' figures.
 */
process.env.LOG_LEVEL ??= "warn";
const { createNodeDb } = await import("../../db/node-client");
const { createRelayServer } = await import("../../media-relay/server");
const { ringingCall } = await import("../support/relay");
const { fakeBackedProviders } = await import("../support/voice");

const figures = {
  endpointingMs: Number(process.env.STT_ENDPOINTING_MS ?? 300),
  firstTokenMs: Number(process.env.LLM_FIRST_TOKEN_MS ?? 450),
  tokenMs: Number(process.env.LLM_TOKEN_MS ?? 15),
  firstByteMs: Number(process.env.TTS_FIRST_BYTE_MS ?? 75),
};
const calls = Number(process.env.BENCH_CALLS ?? 12);
const turnsPerCall = Number(process.env.BENCH_TURNS ?? 3);
const tokenSecret = `bench-${crypto.randomUUID()}`;
const twilioAuthToken = `bench-${crypto.randomUUID()}`;

const { ownerUrl, appUrl } = await freshDatabase(process.env.BENCH_DATABASE ?? "bvrai_bench_voice");
const db = createNodeDb(appUrl, { max: 10 });
const deepgram = await startDeepgramFake({
  apiKey: "dg-key",
  transcripts: Array.from({ length: 10_000 }, () => "What are your opening hours?"),
});
const openai = await startOpenAIFake({
  apiKey: "sk-test",
  reply: () => "We are open nine to five on weekdays. Is there anything else I can help you with?",
  firstTokenMs: figures.firstTokenMs,
  tokenDelayMs: figures.tokenMs,
});
const elevenlabs = await startElevenLabsFake({ apiKey: "xi-key", firstByteMs: figures.firstByteMs });
const providers = fakeBackedProviders(
  { deepgram: deepgram.url, openai: openai.baseURL, elevenlabs: elevenlabs.url },
  { firstTokenMs: 4000, firstAudioMs: 4000 },
  figures.endpointingMs,
);
async function relayAt(greetingCacheBytes?: number) {
  const relay = createRelayServer({ db, tokenSecret, twilioAuthToken, providers, greetingCacheBytes });
  const port = await new Promise<number>((r) =>
    (relay.server as Server).listen(0, "127.0.0.1", () => r((relay.server.address() as { port: number }).port)),
  );
  return { relay, url: `ws://127.0.0.1:${port}/twilio` };
}
const cached = await relayAt();
const uncached = await relayAt(0);
// One agent version for every call: a paying tenant, so no trial minutes run out mid-run.
const tenant = await seedTenant(ownerUrl);
await ownerQuery(ownerUrl, "update tenants set plan = 'pro' where id = $1", [tenant.tenantId]);

type Latency = { sttMs: number; llmMs: number; ttsMs: number; platformMs: number; networkMs?: number };
type CallResult = { callId: string; greetingHeardMs: number; repliesHeardMs: number[] };

/** One call: the greeting, then `turnsPerCall` questions, each timed from the caller's last word to the reply's first audio. */
async function oneCall(url: string): Promise<CallResult> {
  const call = await ringingCall(db, { ownerUrl, tokenSecret, tenant });
  const twilio = await openMediaStream(url, { token: call.token }, twilioAuthToken);
  const started = Date.now();
  const firstMediaAfter = (at: number) => twilio.received.find((m) => m.event === "media" && m.at >= at)?.at;
  await twilio.waitFor("the greeting", () => twilio.marks().includes("turn-0"));
  const greetingHeardMs = firstMediaAfter(started)! - started;
  const repliesHeardMs: number[] = [];
  for (let turn = 1; turn <= turnsPerCall; turn++) {
    const mark = `turn-${turn * 2}`;
    await twilio.speak(800);
    // The last loud frame went out one frame (20 ms) before `speak` returns.
    const stopped = Date.now() - 20;
    // The caller listens (silence) until the reply has been heard.
    let listening = true;
    const quiet = (async () => {
      while (listening) await twilio.silence(100);
    })();
    await twilio.waitFor(`reply ${turn}`, () => twilio.marks().includes(mark), 15_000);
    listening = false;
    await quiet;
    repliesHeardMs.push(firstMediaAfter(stopped)! - stopped);
  }
  await twilio.hangUp();
  return { callId: call.callId, greetingHeardMs, repliesHeardMs };
}

async function run(url: string, n: number) {
  const results: CallResult[] = [];
  // Two calls at a time: a small relay's load, and the machine's other work stays out of the figures.
  const queue = Array.from({ length: n }, (_, i) => i);
  await Promise.all(
    [0, 1].map(async () => {
      while (queue.shift() !== undefined) results.push(await oneCall(url));
    }),
  );
  return results;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : Number.NaN;
};
const row = (label: string, xs: number[]) =>
  `  ${label.padEnd(48)} p50 ${String(Math.round(pct(xs, 50))).padStart(5)} ms   p95 ${String(Math.round(pct(xs, 95))).padStart(5)} ms   (n=${xs.length})`;
const eventsOf = (callIds: string[], type: string) =>
  ownerQuery<{ payload: { ms: number; loadedMs: number; cached: boolean } }>(
    ownerUrl,
    "select payload from call_events where call_id = any($1) and type = $2",
    [callIds, type],
  ).then((r) => r.map((e) => e.payload));

console.log(
  `bench:voice — ${calls} calls × ${turnsPerCall} turns per relay; vendors: endpointing ${figures.endpointingMs} ms, ` +
    `model first token ${figures.firstTokenMs} ms (+${figures.tokenMs} ms/token), speech first byte ${figures.firstByteMs} ms`,
);
// A warm-up call to each (the first connection, the JIT), left out of the figures.
await oneCall(cached.url);
await oneCall(uncached.url);
const withCache = await run(cached.url, calls);
const withoutCache = await run(uncached.url, calls);
const all = [...withCache, ...withoutCache];
const callIds = all.map((c) => c.callId);
const turns = await eventually(
  async () => {
    const rows = await ownerQuery<{ latency_ms: number; latency: Latency }>(
      ownerUrl,
      "select latency_ms, latency from call_turns where call_id = any($1) and speaker = 'agent' and latency is not null",
      [callIds],
    );
    return rows.length >= callIds.length * turnsPerCall && rows;
  },
  30_000,
  "every reply's latency",
);
const heard = all.flatMap((c) => c.repliesHeardMs);
const platform = turns.map((t) => t.latency_ms);

console.log("\ncaller stops speaking → first agent audio (the relay's record of each turn, by stage):");
console.log(
  row(
    "recogniser (speech end → final transcript)",
    turns.map((t) => t.latency.sttMs),
  ),
);
console.log(
  row(
    "model (final transcript → first sentence)",
    turns.map((t) => t.latency.llmMs),
  ),
);
console.log(
  row(
    "speech (first sentence → first audio)",
    turns.map((t) => t.latency.ttsMs),
  ),
);
console.log(
  row(
    "platform (our own code, the rest)",
    turns.map((t) => t.latency.platformMs),
  ),
);
console.log(row("total at the relay", platform));
// The Twilio fake answers a mark as it arrives, not after playing the audio: ~0 here; a phone call's is real.
console.log(
  row(
    "network (relay → caller, from the first mark)",
    turns.map((t) => t.latency.networkMs ?? 0),
  ),
);
console.log(row("heard by the caller (last frame → first frame)", heard));
const share = turns.map((t) => t.latency.platformMs / Math.max(1, t.latency_ms));
console.log(
  `  platform's share of each turn: p50 ${(pct(share, 50) * 100).toFixed(1)}%, p95 ${(pct(share, 95) * 100).toFixed(1)}%`,
);

const cachedEvents = await eventsOf(
  withCache.map((c) => c.callId),
  "call.first_audio",
);
const uncachedEvents = await eventsOf(
  withoutCache.map((c) => c.callId),
  "call.first_audio",
);
console.log("\nstream start → the greeting's first audio:");
console.log(
  row(
    "with the greeting cache (relay)",
    cachedEvents.map((e) => e.ms),
  ),
);
console.log(
  row(
    "with the greeting cache (heard by the caller)",
    withCache.map((c) => c.greetingHeardMs),
  ),
);
console.log(
  row(
    "without it (relay)",
    uncachedEvents.map((e) => e.ms),
  ),
);
console.log(
  row(
    "without it (heard by the caller)",
    withoutCache.map((c) => c.greetingHeardMs),
  ),
);
console.log(
  row(
    "start → conversation begun (database reads)",
    [...cachedEvents, ...uncachedEvents].map((e) => e.loadedMs),
  ),
);
console.log(`  greetings said from memory: ${cachedEvents.filter((e) => e.cached).length} of ${cachedEvents.length}`);

for (const r of [cached, uncached]) {
  for (const ws of r.relay.wss.clients) ws.terminate();
  r.relay.server.close();
}
await new Promise((r) => setTimeout(r, 500));
await Promise.all([deepgram.stop(), openai.stop(), elevenlabs.stop()]);
await db.$pool.end();
process.exit(0);
