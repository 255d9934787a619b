import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { WebSocket } from "ws";
import { reapLostCalls } from "../../app/jobs/lost-calls.server";
import { sandboxSpeech } from "../../core/audio/sandbox-tts";
import { signStreamToken } from "../../core/stream-token";
import { newPublishableKey } from "../../core/widget";
import { createOutboundCall } from "../../db/queries/outbound-calls";
import { ownerQuery, seedTenant } from "../support/seed";
import { startStack } from "../support/stack";
import { eventually } from "../support/wait";

let stack: Awaited<ReturnType<typeof startStack>>;
const ownerUrl = () => inject("ownerUrl");
const site = "https://shop.example.com";

beforeAll(async () => {
  stack = await startStack({
    appUrl: inject("appUrl"),
    jobs: false,
    bindings: { RATE_LIMIT_WIDGET_PER_IP_PER_MINUTE: "1000" },
  });
});
afterAll(() => stack?.stop());

async function seedWidget(limits: { maxConcurrentSessions?: number; callsPerVisitorPerHour?: number } = {}) {
  const t = await seedTenant(ownerUrl());
  const key = newPublishableKey();
  const [w] = await ownerQuery<{ id: string }>(
    ownerUrl(),
    `insert into widgets (tenant_id, agent_id, publishable_key, allowed_origins, button_text, greeting, max_concurrent_sessions, calls_per_visitor_per_hour)
     values ($1, $2, $3, $4, 'Ask Acme', 'Questions? Talk to us.', $5, $6) returning id`,
    [
      t.tenantId,
      t.agentId,
      key,
      [site, "https://*.acme.test"],
      limits.maxConcurrentSessions ?? 5,
      limits.callsPerVisitorPerHour ?? 50,
    ],
  );
  return { ...t, key, widgetId: w!.id };
}
const edge = (path: string, init: RequestInit & { origin?: string; ip?: string } = {}) =>
  fetch(new URL(path, stack.edgeUrl), {
    ...init,
    headers: {
      "content-type": "application/json",
      ...(init.origin ? { origin: init.origin } : {}),
      "cf-connecting-ip": init.ip ?? "203.0.113.7",
      ...init.headers,
    },
  });
const session = (key: string, origin = site, ip?: string) =>
  edge("/widget/session", { method: "POST", body: JSON.stringify({ key }), origin, ip });
const webCalls = (tenantId: string) =>
  ownerQuery<{ id: string; direction: string; status: string; end_reason: string | null; origin: string }>(
    ownerUrl(),
    "select id, direction, status, end_reason, origin from calls where tenant_id = $1",
    [tenantId],
  );

/** 16 kHz 16-bit PCM, as the widget's AudioWorklet sends it. */
function pcm16k(ms: number, loud: boolean) {
  const at8k = loud ? sandboxSpeech("hello there friend") : new Int16Array(8 * ms);
  const out = Buffer.alloc((ms / 1000) * 16000 * 2);
  for (let i = 0; i < out.length / 2; i++) out.writeInt16LE(at8k[Math.floor(i / 2) % at8k.length] ?? 0, i * 2);
  return out;
}

function openSocket(relayUrl: string, token: string, origin: string) {
  const ws = new WebSocket(`${relayUrl}?token=${encodeURIComponent(token)}`, { origin });
  const got = {
    audio: 0,
    marks: [] as string[],
    control: [] as string[],
    closed: null as null | { code: number; reason: string },
    refused: null as null | string,
  };
  ws.on("message", (data, binary) => {
    if (binary) {
      got.audio += (data as Buffer).length;
      return;
    }
    const msg = JSON.parse(String(data)) as { type: string; name?: string };
    got.control.push(msg.type);
    if (msg.type === "mark") {
      got.marks.push(msg.name!);
      ws.send(JSON.stringify({ type: "mark", name: msg.name })); // "played"
    }
  });
  ws.on("close", (code, reason) => {
    got.closed = { code, reason: String(reason) };
  });
  ws.on("error", (err) => {
    got.refused = err.message;
  });
  return { ws, got, opened: new Promise<boolean>((r) => ws.once("open", () => r(true)).once("error", () => r(false))) };
}

describe("the widget's edge endpoints", () => {
  it("shows an allowed page the widget's look, and no other page", async () => {
    const w = await seedWidget();
    const ok = await edge(`/widget/config?key=${w.key}`, { origin: "https://www.acme.test" });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://www.acme.test");
    const look = await ok.json();
    expect(look).toMatchObject({ buttonText: "Ask Acme", greeting: "Questions? Talk to us." });
    expect(JSON.stringify(look)).not.toMatch(/tenant|agent|pk_|max/i);
    const refused = await edge(`/widget/config?key=${w.key}`, { origin: "https://evil.example" });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.message).toBe("This website is not allowed to use this widget.");
    expect((await edge("/widget/config?key=nope", { origin: site })).status).toBe(400);
    expect((await edge(`/widget/config?key=${newPublishableKey()}`, { origin: site })).status).toBe(404);
  });

  it("refuses a session to another origin, or without one, or with a bad body, and records no call", async () => {
    const w = await seedWidget();
    for (const origin of ["https://evil.example", "https://shop.example.com.evil.example", ""]) {
      const r = await session(w.key, origin);
      expect(r.status, origin).toBe(403);
      expect((await r.json()).error).toMatchObject({ code: "FORBIDDEN", requestId: expect.any(String) });
    }
    expect((await edge("/widget/session", { method: "POST", body: "{not json", origin: site })).status).toBe(400);
    expect((await edge("/widget/session", { method: "POST", body: "{}", origin: site })).status).toBe(400);
    expect(await webCalls(w.tenantId)).toEqual([]);
  });

  it("holds a widget to its concurrent sessions and each visitor to its calls per hour", async () => {
    const w = await seedWidget({ maxConcurrentSessions: 1, callsPerVisitorPerHour: 2 });
    expect((await session(w.key, site, "198.51.100.1")).status).toBe(201);
    const busy = await session(w.key, site, "198.51.100.2");
    expect(busy.status).toBe(503);
    expect((await busy.json()).error.message).toMatch(/All lines are busy/);
    await ownerQuery(ownerUrl(), "update calls set status = 'completed' where tenant_id = $1", [w.tenantId]);
    expect((await session(w.key, site, "198.51.100.1")).status).toBe(201);
    await ownerQuery(ownerUrl(), "update calls set status = 'completed' where tenant_id = $1", [w.tenantId]);
    const limited = await session(w.key, site, "198.51.100.1");
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.message).toMatch(/call limit\. Try again in \d+ s\./);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.headers.get("ratelimit-policy")).toMatch(/^"widget-visitor";q=\d+;w=3600$/);
    expect(limited.headers.get("ratelimit")).toMatch(/^"widget-visitor";r=0;t=\d+$/);
  });
});

describe("a web call through the relay", () => {
  it("greets the visitor, hears them, ends on their hang-up, and is recorded as a web call", async () => {
    const w = await seedWidget();
    const res = await session(w.key);
    expect(res.status).toBe(201);
    const { token, relayUrl } = (await res.json()) as { token: string; relayUrl: string };
    expect(relayUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/widget$/);
    const s = openSocket(relayUrl, token, site);
    expect(await s.opened).toBe(true);
    await eventually(async () => s.got.marks.includes("turn-0"), 10_000, "the greeting");
    expect(s.got.audio).toBeGreaterThan(8000); // more than a second of μ-law 8 kHz
    // The visitor speaks (16 kHz PCM, odd-sized chunks) while nothing is playing, then hangs up.
    const speech = pcm16k(600, true);
    for (let at = 0; at < speech.length; at += 999) s.ws.send(speech.subarray(at, at + 999));
    s.ws.send(JSON.stringify({ type: "hangup" }));
    s.ws.close(1000);
    const [call] = await eventually(
      async () => {
        const rows = await webCalls(w.tenantId);
        return rows[0]?.status === "completed" && rows;
      },
      10_000,
      "the call to close",
    );
    expect(call).toMatchObject({ direction: "web", end_reason: "caller_hung_up", origin: site });
    const turns = await ownerQuery(ownerUrl(), "select speaker, text from call_turns where call_id = $1", [call!.id]);
    expect(turns).toEqual([{ speaker: "agent", text: "Hello, thanks for calling Acme." }]);
  });

  it("takes a token once, only from its own origin, and never a phone token", async () => {
    const w = await seedWidget();
    const { token, relayUrl } = (await (await session(w.key)).json()) as { token: string; relayUrl: string };
    const elsewhere = openSocket(relayUrl, token, "https://evil.example");
    expect(await elsewhere.opened).toBe(false);
    expect(elsewhere.got.refused).toMatch(/403/);
    const first = openSocket(relayUrl, token, site);
    expect(await first.opened).toBe(true);
    await eventually(async () => first.got.marks.length > 0, 10_000, "the first socket to be answered");
    // Spent at the first handshake: a second socket is refused before it is a socket at all.
    const again = openSocket(relayUrl, token, site);
    expect(await again.opened).toBe(false);
    expect(again.got.refused).toMatch(/403/);
    first.ws.close();
    // A phone stream's token (no origin in it) is refused here, as is a forged one.
    const phoneToken = await signStreamToken(
      stack.secrets.STREAM_TOKEN_SECRET,
      { callId: crypto.randomUUID(), tenantId: w.tenantId, agentId: w.agentId },
      60,
    );
    for (const t of [phoneToken, `${token.slice(0, -4)}AAAA`]) {
      const refused = openSocket(relayUrl, t, site);
      expect(await refused.opened).toBe(false);
    }
  });

  it("a replayed token never frees the live call's slot: the plan's calls-at-once still hold", async () => {
    const w = await seedWidget({ maxConcurrentSessions: 10 });
    const open = async () => {
      const { token, relayUrl } = (await (await session(w.key)).json()) as { token: string; relayUrl: string };
      const s = openSocket(relayUrl, token, site);
      expect(await s.opened).toBe(true);
      return { ...s, token, relayUrl };
    };
    // The trial's five calls at once, all live.
    const live = [await open(), await open(), await open(), await open(), await open()];
    for (const s of live) await eventually(async () => s.got.marks.includes("turn-0"), 10_000, "a greeting");
    for (let i = 0; i < 3; i++) {
      const replay = openSocket(live[0]!.relayUrl, live[0]!.token, site);
      await replay.opened;
      await eventually(async () => replay.got.refused ?? replay.got.closed, 10_000, "the replay to be turned away");
    }
    // A sixth caller is over the limit: told the lines are busy, the call closed as such.
    const sixth = await open();
    await eventually(async () => sixth.got.closed, 15_000, "the sixth call to be ended");
    const rows = await webCalls(w.tenantId);
    expect(rows.filter((r) => r.end_reason === "concurrency_limit")).toHaveLength(1);
    expect(live.every((s) => s.got.closed === null)).toBe(true);
    for (const s of live) s.ws.close();
  });

  it("sessions a visitor never opens pin nothing: the tenant can still place calls, and the sweep closes them unbilled", async () => {
    const w = await seedWidget({ maxConcurrentSessions: 5 });
    for (let i = 0; i < 5; i++) expect((await session(w.key, site, `198.51.100.${50 + i}`)).status).toBe(201);
    const [from] = await ownerQuery<{ id: string }>(ownerUrl(), "select id from phone_numbers where tenant_id = $1", [
      w.tenantId,
    ]);
    const placed = await createOutboundCall(stack.db, stack.pii, {
      tenantId: w.tenantId,
      agentId: w.agentId,
      fromNumberId: from!.id,
      to: "+14155550111",
      variables: {},
      machineDetection: "off",
      voicemailMessage: null,
    });
    expect(placed.kind).toBe("created");
    // Their tokens have expired (a minute's life): the widget's seats come back, and the sweep closes them.
    expect((await session(w.key, site, "198.51.100.60")).status).toBe(503);
    await ownerQuery(
      ownerUrl(),
      "update calls set created_at = now() - interval '3 minutes' where tenant_id = $1 and direction = 'web'",
      [w.tenantId],
    );
    expect((await session(w.key, site, "198.51.100.61")).status).toBe(201);
    await reapLostCalls(stack.db, { tenantId: w.tenantId });
    const web = (await webCalls(w.tenantId)).filter((r) => r.direction === "web" && r.end_reason === "abandoned");
    expect(web).toHaveLength(5);
    expect(new Set(web.map((r) => r.status))).toEqual(new Set(["failed"]));
    expect(
      await ownerQuery(
        ownerUrl(),
        "select distinct duration_seconds from calls where tenant_id = $1 and end_reason = 'abandoned'",
        [w.tenantId],
      ),
    ).toEqual([{ duration_seconds: 0 }]);
  });
});
