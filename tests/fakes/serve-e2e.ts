import { createServer } from "node:http";
import { connect, createServer as createTcpServer, type Socket } from "node:net";
import { startDeepgramFake } from "./deepgram";
import { startElevenLabsFake } from "./elevenlabs";
import { startOpenAIFake } from "./openai";
import { startStripeFake } from "./stripe/api";
import { stripeMeters, stripePrices } from "./stripe/prices";
import { startTwilioFake } from "./twilio/api";

/**
 * The providers' fakes (Twilio REST included) as one process for the e2e platform (Playwright starts it beside
 * `npm run dev`): Deepgram, OpenAI chat and ElevenLabs on fixed ports, and a control port where a
 * test says what the next utterances will be heard as (POST /script ["…"]), reads what was
 * spoken (GET /spoken) and has an outbound call answered (POST /twilio/answer). Unscripted speech is heard as nothing, like the sandbox. It also stands
 * in for the network between callers and the relay: a TCP pass-through that POST /drop cuts.
 */
// A second e2e platform on the same machine (a helper's worktree) shifts every port by E2E_PORT_OFFSET.
const offset = Number(process.env.E2E_PORT_OFFSET ?? 0);

export const e2eFakes = {
  portOffset: offset,
  deepgramPort: 8801 + offset,
  openaiPort: 8802 + offset,
  elevenlabsPort: 8803 + offset,
  controlPort: 8804 + offset,
  /** Browsers and Twilio reach the relay (on relayPort) through here. */
  networkPort: 8805 + offset,
  relayPort: 8798 + offset,
  twilioPort: 8806 + offset,
  stripePort: 8807 + offset,
  /** The e2e edge, where the Stripe fake posts its webhooks. */
  edgePort: 8797 + offset,
  /** The platform's main Twilio account, as the e2e portal and relay are configured with it. */
  twilioAccountSid: `AC${"e2e0".repeat(8)}`,
  keys: { deepgram: "e2e-deepgram", openai: "e2e-openai", elevenlabs: "e2e-elevenlabs" },
};
export const answers: Record<string, string> = {
  "What are your opening hours?":
    "We are open nine to five. On Saturdays we open at ten in the morning and close at two in the afternoon. We are closed on Sundays and public holidays. You can also book online at any time of the day or night.",
  "Thanks, that's all.": "You're welcome. Goodbye!",
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const { keys } = e2eFakes;
  const twilioAuthToken = process.env.E2E_TWILIO_AUTH_TOKEN;
  if (!twilioAuthToken) throw new Error("E2E_TWILIO_AUTH_TOKEN is not set");
  const twilioFake = await startTwilioFake({
    accountSid: e2eFakes.twilioAccountSid,
    authToken: twilioAuthToken,
    port: e2eFakes.twilioPort,
  });
  const stripeFake = await startStripeFake({
    secretKey: process.env.E2E_STRIPE_SECRET_KEY!,
    webhookSecret: process.env.E2E_STRIPE_WEBHOOK_SECRET!,
    prices: stripePrices,
    meters: stripeMeters,
    port: e2eFakes.stripePort,
  });
  stripeFake.setWebhookUrl(`http://127.0.0.1:${e2eFakes.edgePort}/stripe/webhook`);
  const deepgram = await startDeepgramFake({ apiKey: keys.deepgram, port: e2eFakes.deepgramPort });
  const elevenlabs = await startElevenLabsFake({ apiKey: keys.elevenlabs, port: e2eFakes.elevenlabsPort });
  await startOpenAIFake({
    apiKey: keys.openai,
    port: e2eFakes.openaiPort,
    reply: (messages) => {
      // The post-call analysis asks for JSON: a summary quoting the caller, and a verdict.
      if (messages[0]?.content?.startsWith("You analyse phone calls")) {
        const caller = /Caller: (.*)/.exec(messages.at(-1)?.content ?? "")?.[1] ?? "nothing";
        return JSON.stringify({
          summary: `The caller said: ${caller}`,
          success: { passed: true, reason: "The caller was helped." },
        });
      }
      const said = messages.at(-1)?.content ?? "";
      return answers[said] ?? `You said: ${said}`;
    },
  });
  const links = new Set<Socket>();
  createTcpServer((inbound) => {
    const outbound = connect(e2eFakes.relayPort, "127.0.0.1");
    links.add(inbound).add(outbound);
    inbound.pipe(outbound).pipe(inbound);
    const cut = () => {
      inbound.destroy();
      outbound.destroy();
      links.delete(inbound);
      links.delete(outbound);
    };
    inbound.on("error", cut).on("close", cut);
    outbound.on("error", cut).on("close", cut);
  }).listen(e2eFakes.networkPort, "127.0.0.1");
  createServer(async (req, res) => {
    if (req.method === "POST" && req.url === "/twilio/answer") {
      // The callee of an outbound call picks up and listens for `talkMs`.
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const { callSid, talkMs } = JSON.parse(Buffer.concat(chunks).toString()) as { callSid: string; talkMs: number };
      const result = await twilioFake.answer(callSid, { talkMs });
      return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(result));
    }
    if (req.method === "POST" && (req.url === "/stripe/checkout" || req.url === "/stripe/fail")) {
      // The customer pays on Checkout (its session id), or a renewal payment fails (the customer's subscription).
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const { sessionId, customer } = JSON.parse(Buffer.concat(chunks).toString()) as {
        sessionId?: string;
        customer?: string;
      };
      if (req.url === "/stripe/checkout") await stripeFake.completeCheckout(sessionId!);
      else
        for (const sub of stripeFake.subscriptions.values())
          if (sub.customer === customer)
            await stripeFake.changeSubscription(sub.id, "past_due", "invoice.payment_failed");
      return res.writeHead(204).end();
    }
    if (req.method === "POST" && req.url === "/drop") {
      // Connections vanish without a close frame, as when a visitor's Wi-Fi drops.
      for (const s of links) s.resetAndDestroy();
      links.clear();
      return res.writeHead(204).end();
    }
    if (req.method === "POST" && req.url === "/script") {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      deepgram.script(...(JSON.parse(Buffer.concat(chunks).toString()) as string[]));
      return res.writeHead(204).end();
    }
    if (req.url === "/spoken")
      return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(elevenlabs.spoken));
    if (req.url === "/health") return res.writeHead(200).end("ok");
    res.writeHead(404).end();
  }).listen(e2eFakes.controlPort, "127.0.0.1");
}
