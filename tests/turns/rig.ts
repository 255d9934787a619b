import { createServer, type Server } from "node:http";
import { createPiiCipher, generatePiiKey } from "../../core/crypto/pii";
import { createNodeDb } from "../../db/node-client";
import { createRelayServer } from "../../media-relay/server";
import { startDeepgramFake } from "../fakes/deepgram";
import { startElevenLabsFake } from "../fakes/elevenlabs";
import { startOpenAIFake } from "../fakes/openai";
import { clock } from "../fakes/twilio-player";
import { ownerQuery, seedTenant } from "../support/seed";
import { fakeBackedProviders } from "../support/voice";
import { buildClip, question, scenarios, transcriptOf } from "./corpus";
import { GREETING, LONG_LINE, SHORT_REPLY, SLOW_TOOL_MS, TOOL_ANSWER } from "./lines";

/**
 * The real relay with its providers' fakes (Deepgram timed to the audio, OpenAI, ElevenLabs), a
 * tenant whose agent greets, answers the question with the long line, and has a slow HTTP tool.
 */
export async function startTurnsRig(urls: { appUrl: string; ownerUrl: string }) {
  const db = createNodeDb(urls.appUrl, { max: 5 });
  const questionText = transcriptOf(buildClip(question));
  const toolScenario = scenarios.find((s) => s.kind === "tool")!;
  const toolQuestion = transcriptOf(buildClip(toolScenario));
  const deepgram = await startDeepgramFake({ apiKey: "dg-key" });
  const openai = await startOpenAIFake({
    apiKey: "sk-test",
    reply: (messages) => {
      const last = messages.at(-1)!;
      if (last.role === "tool") return TOOL_ANSWER;
      if (last.content === questionText) return LONG_LINE.join(" ");
      if (last.content === toolQuestion) return { tools: [{ name: "check_order", arguments: {} }] };
      return SHORT_REPLY;
    },
  });
  const elevenlabs = await startElevenLabsFake({ apiKey: "xi-key" });
  /** When the order endpoint answered, on the player's clock. */
  const toolAnswers: number[] = [];
  const orders = createServer((_req, res) =>
    setTimeout(() => {
      toolAnswers.push(clock());
      res.writeHead(200, { "content-type": "application/json" }).end('{"ready":true}');
    }, SLOW_TOOL_MS),
  );
  await new Promise<void>((r) => orders.listen(0, "127.0.0.1", r));
  const tokenSecret = `st-${crypto.randomUUID()}`;
  const twilioAuthToken = `tw-${crypto.randomUUID()}`;
  const relay = createRelayServer({
    db,
    tokenSecret,
    twilioAuthToken,
    providers: fakeBackedProviders(
      { deepgram: deepgram.url, openai: openai.baseURL, elevenlabs: elevenlabs.url },
      { firstTokenMs: 2000, firstAudioMs: 2000 },
    ),
    allowToolAddresses: ["127.0.0.1"],
    pii: createPiiCipher({ keys: generatePiiKey("turns"), blindIndexKey: "turns-bi" }),
  });
  const port = await new Promise<number>((r) =>
    (relay.server as Server).listen(0, "127.0.0.1", () => r((relay.server.address() as { port: number }).port)),
  );
  const tenant = await seedTenant(urls.ownerUrl);
  // A paying tenant: a trial's minutes would run out over a few rounds of the corpus.
  await ownerQuery(urls.ownerUrl, "update tenants set plan = 'pro' where id = $1", [tenant.tenantId]);
  const tool = {
    type: "http",
    name: "check_order",
    description: "Whether the caller's order is ready",
    parameters: { type: "object", properties: {} },
    url: `http://127.0.0.1:${(orders.address() as { port: number }).port}/orders`,
    method: "POST",
    timeoutMs: SLOW_TOOL_MS + 2000,
  };
  await ownerQuery(urls.ownerUrl, "update agents set first_message = $1, tools = $2 where id = $3", [
    GREETING,
    JSON.stringify([tool]),
    tenant.agentId,
  ]);
  return {
    db,
    deepgram,
    tenant,
    tokenSecret,
    twilioAuthToken,
    toolAnswers,
    relayUrl: `ws://127.0.0.1:${port}/twilio`,
    ownerUrl: urls.ownerUrl,
    async stop() {
      for (const ws of relay.wss.clients) ws.terminate();
      relay.server.close();
      await new Promise((r) => setTimeout(r, 300)); // let the terminated calls close
      await Promise.all([deepgram.stop(), openai.stop(), elevenlabs.stop()]);
      orders.close();
      await db.$pool.end();
    },
  };
}
export type TurnsRig = Awaited<ReturnType<typeof startTurnsRig>>;
