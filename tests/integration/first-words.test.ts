import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { registry } from "../../core/telemetry/metrics";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { createRelayServer } from "../../media-relay/server";
import { startDeepgramFake } from "../fakes/deepgram";
import { startElevenLabsFake } from "../fakes/elevenlabs";
import { startOpenAIFake } from "../fakes/openai";
import { openMediaStream } from "../fakes/twilio-media-stream";
import { startFaultProxy } from "../support/fault-proxy";
import { ringingCall } from "../support/relay";
import { ownerQuery, seedTenant } from "../support/seed";
import { fakeBackedProviders } from "../support/voice";
import { eventually } from "../support/wait";

/**
 * First words fast (docs/decisions/0044): a greeting rendered once is said from the relay's memory
 * on the next call to the same agent, and no greeting waits for the recogniser's connection.
 */
const ownerUrl = () => inject("ownerUrl");
const tokenSecret = `st-${crypto.randomUUID()}`;
const twilioAuthToken = `tw-${crypto.randomUUID()}`;
let db: NodeDb;
let relay: ReturnType<typeof createRelayServer>;
let relayUrl: string;
let deepgram: Awaited<ReturnType<typeof startDeepgramFake>>;
let openai: Awaited<ReturnType<typeof startOpenAIFake>>;
let elevenlabs: Awaited<ReturnType<typeof startElevenLabsFake>>;
/** Between the relay and Deepgram: a blackhole holds the recogniser's connection open, unanswered. */
let sttLink: Awaited<ReturnType<typeof startFaultProxy>>;

beforeAll(async () => {
  db = createNodeDb(inject("appUrl"), { max: 5 });
  deepgram = await startDeepgramFake({ apiKey: "dg-key" });
  openai = await startOpenAIFake({ apiKey: "sk-test", reply: () => "Sure." });
  elevenlabs = await startElevenLabsFake({ apiKey: "xi-key" });
  sttLink = await startFaultProxy({ port: Number(new URL(deepgram.url).port) });
  relay = createRelayServer({
    db,
    tokenSecret,
    twilioAuthToken,
    providers: fakeBackedProviders(
      { deepgram: `ws://127.0.0.1:${sttLink.port}`, openai: openai.baseURL, elevenlabs: elevenlabs.url },
      { firstTokenMs: 2000, firstAudioMs: 2000 },
    ),
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
  await Promise.all([deepgram.stop(), openai.stop(), elevenlabs.stop(), sttLink.stop()]);
  await db.$pool.end();
});

const firstAudioEvent = (callId: string) =>
  eventually(
    async () =>
      (
        await ownerQuery<{ payload: { ms: number; loadedMs: number; cached: boolean } }>(
          ownerUrl(),
          "select payload from call_events where call_id = $1 and type = 'call.first_audio'",
          [callId],
        )
      )[0]?.payload,
    10_000,
    "the call.first_audio event",
  );
const firstAudioCount = async (cache: string) =>
  (await registry.getSingleMetric("bvrai_first_audio_seconds")!.get()).values
    .filter((v) => v.labels.le === "+Inf" && v.labels.cache === cache)
    .reduce((n, v) => n + v.value, 0);

/** One call to the tenant's agent (with the call's `variables`): its greeting heard, its audio, then hung up. */
async function greetedCall(tenant: { number: string; agentId: string }, variables?: Record<string, string>) {
  const call = await ringingCall(db, { ownerUrl: ownerUrl(), tokenSecret, tenant });
  if (variables)
    await ownerQuery(ownerUrl(), "update calls set variables = $1 where id = $2", [variables, call.callId]);
  const twilio = await openMediaStream(relayUrl, { token: call.token }, twilioAuthToken);
  await twilio.waitFor("the greeting", () => twilio.marks().includes("turn-0"));
  const audio = twilio.audio();
  await twilio.hangUp();
  return { callId: call.callId, audio, event: await firstAudioEvent(call.callId) };
}

describe("the greeting", () => {
  it("is rendered on an agent's first call and said from memory on the next, the same audio, TTS not asked", async () => {
    const tenant = await seedTenant(ownerUrl());
    const hitsBefore = await firstAudioCount("hit");
    const first = await greetedCall(tenant);
    const spoken = elevenlabs.spoken.length;
    expect(elevenlabs.spoken.at(-1)?.text).toBe("Hello, thanks for calling Acme.");
    expect(first.event.cached).toBe(false);

    const second = await greetedCall(tenant);
    expect(elevenlabs.spoken.length).toBe(spoken);
    expect(second.event.cached).toBe(true);
    expect(second.audio.length).toBeGreaterThan(0);
    expect(Buffer.from(second.audio).equals(Buffer.from(first.audio))).toBe(true);
    // Measured, not asserted in wall time: the event and the metric carry the stream start → first audio.
    expect(second.event.ms).toBeGreaterThanOrEqual(second.event.loadedMs);
    expect(await firstAudioCount("hit")).toBe(hitsBefore + 1);
  });

  it("is never another tenant's: the same words in the same voice are rendered for each tenant", async () => {
    const [a, b] = [await seedTenant(ownerUrl()), await seedTenant(ownerUrl())];
    await greetedCall(a);
    const spoken = elevenlabs.spoken.length;
    expect((await greetedCall(b)).event.cached).toBe(false);
    expect(elevenlabs.spoken.length).toBe(spoken + 1);
  });

  it("of a new agent version is rendered anew", async () => {
    const tenant = await seedTenant(ownerUrl());
    await greetedCall(tenant);
    await ownerQuery(ownerUrl(), "update agents set first_message = 'Hi, Acme here.' where id = $1", [tenant.agentId]);
    const next = await greetedCall(tenant);
    expect(next.event.cached).toBe(false);
    expect(elevenlabs.spoken.at(-1)?.text).toBe("Hi, Acme here.");
  });

  it("keeps only the sentences that are the same on every call, never one filled with a call's variables", async () => {
    const tenant = await seedTenant(ownerUrl());
    await ownerQuery(
      ownerUrl(),
      "update agents set first_message = 'Hi {{name}}. Thanks for calling Acme.' where id = $1",
      [tenant.agentId],
    );
    await greetedCall(tenant, { name: "Ada" });
    const spoken = elevenlabs.spoken.length;
    await greetedCall(tenant, { name: "Ada" });
    expect(elevenlabs.spoken.slice(spoken).map((s) => s.text)).toEqual(["Hi Ada."]);
  });

  it("does not wait for the recogniser: it is heard while speech-to-text is still connecting", async () => {
    const tenant = await seedTenant(ownerUrl());
    const connectionsBefore = deepgram.connections.length;
    sttLink.blackhole();
    try {
      const call = await ringingCall(db, { ownerUrl: ownerUrl(), tokenSecret, tenant });
      const twilio = await openMediaStream(relayUrl, { token: call.token }, twilioAuthToken);
      await twilio.waitFor("the greeting", () => twilio.marks().includes("turn-0"));
      expect(deepgram.connections.length).toBe(connectionsBefore);
      // Hung up while the recogniser still connects: the call closes without waiting for it.
      await twilio.hangUp();
      await eventually(
        async () =>
          (await ownerQuery<{ status: string }>(ownerUrl(), "select status from calls where id = $1", [call.callId]))[0]
            ?.status === "completed",
        5_000,
        "the call closed",
      );
    } finally {
      sttLink.pass();
    }
  });
});
