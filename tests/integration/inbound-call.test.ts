import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { placeInboundCall } from "../fakes/twilio-caller";
import { emptyCallEndedQueue, ownerQuery, seedTenant } from "../support/seed";
import { startStack } from "../support/stack";
import { eventually } from "../support/wait";

let stack: Awaited<ReturnType<typeof startStack>>;
const ownerUrl = () => inject("ownerUrl");
const callsBySid = (sid: string) =>
  ownerQuery<
    Record<string, unknown> & {
      id: string;
      from_number: string | null;
      duration_seconds: number;
      cost_micros: string | null;
    }
  >(ownerUrl(), "select * from calls where provider_call_sid = $1", [sid]);

beforeAll(async () => {
  await emptyCallEndedQueue(inject("ownerUrl"));
  stack = await startStack({ appUrl: inject("appUrl") });
});
afterAll(() => stack?.stop());

describe("an inbound phone call across edge, relay, database and jobs", () => {
  it("is answered with the agent's first message, closed once with its duration, and billed", async () => {
    const t = await seedTenant(ownerUrl());
    // Pay as you go: every second is charged at the plan's rate (core/billing/plans).
    await ownerQuery(ownerUrl(), "update tenants set plan = 'payg' where id = $1", [t.tenantId]);
    const call = await placeInboundCall({
      edgeUrl: stack.edgeUrl,
      authToken: stack.secrets.TWILIO_AUTH_TOKEN,
      to: t.number,
      from: "+14155550100",
      talkMs: 2200,
    });

    expect(call.twimlStatus).toBe(200);
    expect(call.twiml).toMatch(
      /<Connect action="http:\/\/127\.0\.0\.1:\d+\/twilio\/stream-ended\?tenant=[0-9a-f-]{36}&amp;call=[0-9a-f-]{36}"><Stream url="ws:\/\/127\.0\.0\.1:\d+\/twilio"><Parameter name="token" value="st1\./,
    );
    expect(call.agentFrames).toBeGreaterThan(10);
    expect(call.marks).toEqual(["turn-0.0", "turn-0"]);

    const [row] = await eventually(
      async () => {
        const rows = await callsBySid(call.callSid);
        return rows[0]?.cost_micros != null && rows;
      },
      30_000,
      "the call to be billed",
    );
    expect(row).toMatchObject({
      tenant_id: t.tenantId,
      agent_id: t.agentId,
      status: "completed",
      end_reason: "stream_stopped",
    });
    // Stored encrypted, readable only with the key and bound to this tenant's calls.from_number.
    expect(row!.from_number).toMatch(/^pii1\.it1\./);
    expect(
      await stack.pii.decrypt(row!.from_number!, { tenantId: t.tenantId, table: "calls", column: "from_number" }),
    ).toBe("+14155550100");
    expect(row!.duration_seconds).toBeGreaterThanOrEqual(2);
    expect(row!.duration_seconds).toBeLessThanOrEqual(6);
    expect(BigInt(row!.cost_micros ?? -1)).toBe(BigInt(row!.duration_seconds) * 1500n);

    const usage = await ownerQuery(ownerUrl(), "select quantity, amount_micros from usage_records where call_id = $1", [
      row!.id,
    ]);
    expect(usage).toEqual([
      { quantity: String(row!.duration_seconds), amount_micros: String(row!.duration_seconds * 1500) },
    ]);
    const turns = await ownerQuery(ownerUrl(), "select speaker, text from call_turns where call_id = $1", [row!.id]);
    expect(turns).toEqual([{ speaker: "agent", text: "Hello, thanks for calling Acme." }]);
    const events = await ownerQuery<{ type: string }>(
      ownerUrl(),
      "select type from call_events where call_id = $1 order by created_at",
      [row!.id],
    );
    expect(events.map((e) => e.type)).toEqual([
      "call.received",
      "call.answered",
      "call.first_audio",
      "mark.played",
      "call.ended",
    ]);
    const jobs = await ownerQuery(
      ownerUrl(),
      "select state from pgboss.job where name = 'call.ended' and data->>'callId' = $1",
      [row!.id],
    );
    expect(jobs).toEqual([{ state: "completed" }]);
  });

  it("rejects a webhook without a valid Twilio signature and records nothing", async () => {
    const t = await seedTenant(ownerUrl());
    const call = await placeInboundCall({
      edgeUrl: stack.edgeUrl,
      authToken: "not-the-auth-token",
      to: t.number,
      from: "+14155550101",
      talkMs: 0,
    });
    expect(call.twimlStatus).toBe(403);
    expect(JSON.parse(call.twiml)).toMatchObject({ error: { code: "FORBIDDEN", requestId: expect.any(String) } });
    expect(await callsBySid(call.callSid)).toEqual([]);
  });

  it("politely hangs up on a number nobody owns", async () => {
    const call = await placeInboundCall({
      edgeUrl: stack.edgeUrl,
      authToken: stack.secrets.TWILIO_AUTH_TOKEN,
      to: "+15550009999",
      from: "+14155550102",
      talkMs: 0,
    });
    expect(call.twimlStatus).toBe(200);
    expect(call.twiml).toMatch(/<Say>[^<]+<\/Say><Hangup\/>/);
    expect(call.streamed).toBe(false);
    expect(await callsBySid(call.callSid)).toEqual([]);
  });

  it("closes a stream whose token is forged or missing, before doing anything", async () => {
    const t = await seedTenant(ownerUrl());
    for (const tamper of [(p: { token?: string }) => ({ token: `${p.token}x` }), () => ({})]) {
      const call = await placeInboundCall({
        edgeUrl: stack.edgeUrl,
        authToken: stack.secrets.TWILIO_AUTH_TOKEN,
        to: t.number,
        from: "+14155550103",
        talkMs: 300,
        tamper,
      });
      expect(call.closeCode).toBe(1008);
      expect(call.agentFrames).toBe(0);
      const [row] = await callsBySid(call.callSid);
      expect(row).toMatchObject({ status: "ringing", ended_at: null, started_at: null });
    }
  });

  it("refuses a second stream with the same token", async () => {
    const t = await seedTenant(ownerUrl());
    let token: string | undefined;
    const first = await placeInboundCall({
      edgeUrl: stack.edgeUrl,
      authToken: stack.secrets.TWILIO_AUTH_TOKEN,
      to: t.number,
      from: "+14155550104",
      talkMs: 100,
      tamper: (p) => {
        token = p.token;
        return p;
      },
    });
    expect(first.closeCode).toBe(1000);
    const replay = await placeInboundCall({
      edgeUrl: stack.edgeUrl,
      authToken: stack.secrets.TWILIO_AUTH_TOKEN,
      to: t.number,
      from: "+14155550104",
      talkMs: 100,
      tamper: () => ({ token }),
    });
    expect(replay.closeCode).toBe(1008);
    expect(replay.agentFrames).toBe(0);
    const [original] = await callsBySid(first.callSid);
    const events = await ownerQuery<{ n: number }>(
      ownerUrl(),
      "select count(*)::int as n from call_events where call_id = $1 and type = 'call.ended'",
      [original!.id],
    );
    expect(events[0]!.n).toBe(1);
  });

  it("answers a retried webhook for the same CallSid with the same call", async () => {
    const t = await seedTenant(ownerUrl());
    const twilio = (await import("twilio")).default;
    const url = new URL("/twilio/voice", stack.edgeUrl).toString();
    const params = { CallSid: `CA${"ab".repeat(16)}`, To: t.number, From: "+14155550105" };
    const post = () =>
      fetch(url, {
        method: "POST",
        headers: {
          "x-twilio-signature": twilio.getExpectedTwilioSignature(stack.secrets.TWILIO_AUTH_TOKEN, url, params),
        },
        body: new URLSearchParams(params),
      });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);
    expect(await callsBySid(params.CallSid)).toHaveLength(1);
  });

  it("answers bad input with a clear error", async () => {
    const twilio = (await import("twilio")).default;
    const url = new URL("/twilio/voice", stack.edgeUrl).toString();
    const params = { CallSid: "not-a-sid", To: "12", From: "" };
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "x-twilio-signature": twilio.getExpectedTwilioSignature(stack.secrets.TWILIO_AUTH_TOKEN, url, params),
      },
      body: new URLSearchParams(params),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: "BAD_REQUEST", message: expect.stringMatching(/CallSid/) },
    });
    expect((await fetch(new URL("/nope", stack.edgeUrl))).status).toBe(404);
    expect(await (await fetch(new URL("/health", stack.edgeUrl))).json()).toMatchObject({ status: "ok" });
  });
});
