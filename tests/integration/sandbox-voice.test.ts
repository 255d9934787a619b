import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { WebSocket } from "ws";
import { decodeMulaw } from "../../core/audio/mulaw";
import { newPublishableKey } from "../../core/widget";
import { espeakAvailable } from "../../voice/espeak";
import { ownerQuery, seedTenant } from "../support/seed";
import { startStack } from "../support/stack";
import { eventually } from "../support/wait";

let stack: Awaited<ReturnType<typeof startStack>>;
const ownerUrl = () => inject("ownerUrl");
const site = "https://shop.example.com";
const hasEspeak = await espeakAvailable("espeak-ng");

beforeAll(async () => {
  stack = await startStack({ appUrl: inject("appUrl"), jobs: false });
});
afterAll(() => stack?.stop());

/** A widget call on the relay's SANDBOX providers (no keys anywhere), its audio and control messages kept. */
async function sandboxCall(systemPrompt: string) {
  const t = await seedTenant(ownerUrl());
  await ownerQuery(ownerUrl(), "update agents set system_prompt = $2 where tenant_id = $1", [t.tenantId, systemPrompt]);
  const key = newPublishableKey();
  await ownerQuery(
    ownerUrl(),
    `insert into widgets (tenant_id, agent_id, publishable_key, allowed_origins, button_text, greeting)
     values ($1, $2, $3, $4, 'Ask Acme', 'Questions?')`,
    [t.tenantId, t.agentId, key, [site]],
  );
  const res = await fetch(new URL("/widget/session", stack.edgeUrl), {
    method: "POST",
    headers: { "content-type": "application/json", origin: site, "cf-connecting-ip": "203.0.113.9" },
    body: JSON.stringify({ key }),
  });
  const { token, relayUrl } = (await res.json()) as { token: string; relayUrl: string };
  const ws = new WebSocket(`${relayUrl}?token=${encodeURIComponent(token)}`, { origin: site });
  const got = { audio: [] as Buffer[], marks: [] as string[], control: [] as string[], closed: 0 };
  ws.on("message", (data, binary) => {
    if (binary) return void got.audio.push(data as Buffer);
    const msg = JSON.parse(String(data)) as { type: string; name?: string };
    got.control.push(msg.type);
    if (msg.type !== "mark") return;
    got.marks.push(msg.name!);
    ws.send(JSON.stringify({ type: "mark", name: msg.name })); // "played"
  });
  ws.on("close", (code) => {
    got.closed = code;
  });
  const turns = () =>
    ownerQuery<{ speaker: string; text: string }>(
      ownerUrl(),
      "select speaker, text from call_turns where tenant_id = $1 order by seq",
      [t.tenantId],
    );
  return { ws, got, turns };
}

/** Share of loud 40 ms frames crossing zero more than 1 200 times a second: fricatives; the tones never exceed 840. */
function hissyShare(mulaw: Buffer) {
  const pcm = decodeMulaw(new Uint8Array(mulaw));
  let loud = 0;
  let hissy = 0;
  for (let f = 0; f + 320 <= pcm.length; f += 320) {
    let energy = 0;
    let crossings = 0;
    for (let i = f; i < f + 320; i++) {
      energy += pcm[i]! ** 2;
      if (i > f && pcm[i]! >= 0 !== pcm[i - 1]! >= 0) crossings++;
    }
    if (Math.sqrt(energy / 320) < 300) continue;
    loud++;
    if (crossings / 320 > 0.15) hissy++;
  }
  return hissy / Math.max(1, loud);
}

describe("a conversation with no keys", () => {
  it.skipIf(!hasEspeak)("greets in eSpeak NG's words, not tones", async () => {
    const call = await sandboxCall("You are Ava, the receptionist at Acme.");
    await eventually(async () => call.got.marks.includes("turn-0"), 15_000, "the greeting");
    const greeting = Buffer.concat(call.got.audio);
    expect(greeting.length).toBeGreaterThan(8000); // more than a second
    expect(hissyShare(greeting)).toBeGreaterThan(0.2);
    call.ws.close(1000);
  });

  it("takes a typed caller turn and answers with the labelled canned reply", async () => {
    const call = await sandboxCall("You are Ava, the receptionist at Acme. Book cleanings.");
    await eventually(async () => call.got.control.includes("text_turns"), 15_000, "typed turns offered");
    await eventually(async () => call.got.marks.includes("turn-0"), 15_000, "the greeting");
    call.ws.send(JSON.stringify({ type: "caller_text", text: "Can I book a cleaning?" }));
    const turns = await eventually(
      async () => {
        const rows = await call.turns();
        return rows.length >= 3 && rows;
      },
      15_000,
      "the reply",
    );
    expect(turns).toEqual([
      { speaker: "agent", text: "Hello, thanks for calling Acme." },
      { speaker: "caller", text: "Can I book a cleaning?" },
      {
        speaker: "agent",
        text: "[Sandbox model] I'm Ava, the receptionist at Acme. You said: Can I book a cleaning?",
      },
    ]);
    // A line longer than a caller's turn ends the call as a policy violation.
    call.ws.send(JSON.stringify({ type: "caller_text", text: "x".repeat(501) }));
    await eventually(async () => call.got.closed === 1008, 10_000, "the refusal");
  });
});
