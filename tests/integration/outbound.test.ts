import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { handleCallPrice, PriceNotReadyError } from "../../app/telephony/call-price.server";
import { buyNumber, searchNumbers, type Telephony } from "../../app/telephony/numbers.server";
import { startOutboundCall } from "../../app/telephony/outbound.server";
import { addDoNotCall } from "../../db/queries/outbound-calls";
import type { CallEndedJob } from "../../db/queue";
import { ownerQuery, seedTenant } from "../support/seed";
import { startTelephonyStack } from "../support/telephony";
import { eventually } from "../support/wait";

let env: Awaited<ReturnType<typeof startTelephonyStack>>;
let stack: typeof env.stack;
let twilioFake: typeof env.twilioFake;
let t: Telephony;
const ownerUrl = () => inject("ownerUrl");
const actor = { userId: null, ip: null };

beforeAll(async () => {
  env = await startTelephonyStack(inject("appUrl"));
  ({ stack, twilioFake, t } = env);
});
afterAll(() => env?.stop());

/** A tenant with a bought number and an agent whose first message uses call variables. */
async function tenantWithNumber() {
  const tenant = { ...(await seedTenant(ownerUrl())), tenantName: "Out", actor };
  await ownerQuery(
    ownerUrl(),
    "update agents set first_message = 'Hello {{name}}, this is Acme about order {{order}}.' where id = $1",
    [tenant.agentId],
  );
  const [n] = await searchNumbers(t, { country: "US", kind: "local", areaCode: "510" });
  const number = await buyNumber(t, { ...tenant, e164: n!.e164, agentId: null });
  return { ...tenant, fromNumberId: number.id };
}
const callRow = (id: string) =>
  ownerQuery<{ status: string; end_reason: string | null; provider_status: string | null; direction: string }>(
    ownerUrl(),
    "select status, end_reason, provider_status, direction from calls where id = $1",
    [id],
  ).then((r) => r[0]!);
const base = { variables: {}, machineDetection: "off" as const, voicemailMessage: null };

describe("an outbound call", () => {
  it("is dialled from the tenant's number, greets the callee by name, and goes through every status", async () => {
    const tn = await tenantWithNumber();
    const placed = await startOutboundCall(t, {
      ...base,
      tenantId: tn.tenantId,
      agentId: tn.agentId,
      fromNumberId: tn.fromNumberId,
      to: "+1 (415) 555-2671",
      variables: { name: "Ada", order: "A-17" },
    });
    expect(placed.to).toBe("+14155552671");
    const dialled = twilioFake.calls.get(placed.callSid)!;
    expect(dialled).toMatchObject({
      to: "+14155552671",
      url: `${stack.edgeUrl}twilio/outbound?call=${placed.callId}`,
      status_callback: `${stack.edgeUrl}twilio/status?call=${placed.callId}`,
      machine_detection: null,
    });
    expect(dialled.events).toEqual(["initiated", "ringing", "answered", "completed"]);

    const answered = await twilioFake.answer(placed.callSid, { talkMs: 1500 });
    expect(answered.twimlStatus).toBe(200);
    expect(answered.agentFrames).toBeGreaterThan(10);
    await eventually(
      async () => (await callRow(placed.callId)).provider_status === "completed",
      10_000,
      "the final status",
    );
    expect(await callRow(placed.callId)).toMatchObject({
      direction: "outbound",
      status: "completed",
      provider_status: "completed",
    });
    const turns = await ownerQuery<{ text: string }>(
      ownerUrl(),
      "select text from call_turns where call_id = $1 order by seq",
      [placed.callId],
    );
    expect(turns[0]!.text).toBe("Hello Ada, this is Acme about order A-17.");
    const statuses = await ownerQuery<{ payload: { status: string } }>(
      ownerUrl(),
      "select payload from call_events where call_id = $1 and type = 'twilio.status' order by created_at",
      [placed.callId],
    );
    expect(statuses.map((s) => s.payload.status)).toEqual(["initiated", "ringing", "in-progress", "completed"]);

    // Twilio's price: not there at first (the job is retried), then stored exactly.
    const job = {
      id: "price-1",
      name: "call.price",
      data: { tenantId: tn.tenantId, callId: placed.callId },
    } as PgBoss.Job<CallEndedJob>;
    await expect(handleCallPrice(t, job)).rejects.toThrow(PriceNotReadyError);
    expect(await handleCallPrice(t, job)).toEqual({ priced: true, micros: -13000n });
    const [priced] = await ownerQuery<{ provider_price_micros: string; provider_price_unit: string }>(
      ownerUrl(),
      "select provider_price_micros, provider_price_unit from calls where id = $1",
      [placed.callId],
    );
    expect(priced).toEqual({ provider_price_micros: "-13000", provider_price_unit: "USD" });
    const [queued] = await ownerQuery<{ n: number }>(
      ownerUrl(),
      "select count(*)::int as n from pgboss.job where name = 'call.price' and data->>'callId' = $1",
      [placed.callId],
    );
    expect(queued!.n).toBe(1);
  });

  it("ends as busy or unanswered with the reason, and never streams", async () => {
    const tn = await tenantWithNumber();
    for (const outcome of ["busy", "no-answer"] as const) {
      const placed = await startOutboundCall(t, {
        ...base,
        tenantId: tn.tenantId,
        agentId: tn.agentId,
        fromNumberId: tn.fromNumberId,
        to: "+14155552672",
      });
      await twilioFake.notAnswered(placed.callSid, outcome);
      expect(await callRow(placed.callId)).toMatchObject({
        status: "failed",
        end_reason: outcome,
        provider_status: outcome,
      });
    }
  });

  it("hangs up on a machine, or leaves the voicemail message, as the call asked", async () => {
    const tn = await tenantWithNumber();
    const hang = await startOutboundCall(t, {
      ...base,
      tenantId: tn.tenantId,
      agentId: tn.agentId,
      fromNumberId: tn.fromNumberId,
      to: "+14155552673",
      machineDetection: "hangup",
    });
    expect(twilioFake.calls.get(hang.callSid)!.machine_detection).toBe("Enable");
    const machine = await twilioFake.answer(hang.callSid, { answeredBy: "machine_start", talkMs: 0 });
    expect(machine.streamed).toBe(false);
    expect(machine.twiml).toContain("<Hangup/>");
    const message = await startOutboundCall(t, {
      ...base,
      tenantId: tn.tenantId,
      agentId: tn.agentId,
      fromNumberId: tn.fromNumberId,
      to: "+14155552674",
      machineDetection: "leave_message",
      voicemailMessage: "Hi {{name}}, Acme here. Please call us back.",
      variables: { name: "Ada" },
    });
    expect(twilioFake.calls.get(message.callSid)!.machine_detection).toBe("DetectMessageEnd");
    // After the beep the agent itself leaves the message, in its own voice, then hangs up.
    const voicemail = await twilioFake.answer(message.callSid, { answeredBy: "machine_end_beep", talkMs: 5000 });
    expect(voicemail).toMatchObject({ streamed: true, marks: expect.arrayContaining(["turn-0"]), closeCode: 1000 });
    expect(voicemail.agentFrames).toBeGreaterThan(20);
    await eventually(
      async () => (await callRow(message.callId)).end_reason === "voicemail",
      10_000,
      "the call to end after the message",
    );
    const turns = await ownerQuery<{ speaker: string; text: string }>(
      ownerUrl(),
      "select speaker, text from call_turns where call_id = $1 order by seq",
      [message.callId],
    );
    expect(turns).toEqual([{ speaker: "agent", text: "Hi Ada, Acme here. Please call us back." }]);
    // A person answering a detection call still gets the agent.
    const human = await startOutboundCall(t, {
      ...base,
      tenantId: tn.tenantId,
      agentId: tn.agentId,
      fromNumberId: tn.fromNumberId,
      to: "+14155552675",
      machineDetection: "hangup",
    });
    expect((await twilioFake.answer(human.callSid, { answeredBy: "human", talkMs: 800 })).streamed).toBe(true);
  });

  it("refuses an invalid number, a do-not-call number, or a number of another tenant, and dials no one", async () => {
    const tn = await tenantWithNumber();
    const other = await tenantWithNumber();
    const before = twilioFake.calls.size;
    const start = (over: Partial<Parameters<typeof startOutboundCall>[1]>) =>
      startOutboundCall(t, {
        ...base,
        tenantId: tn.tenantId,
        agentId: tn.agentId,
        fromNumberId: tn.fromNumberId,
        to: "+14155552676",
        ...over,
      });
    await expect(start({ to: "+1 011 555 2671" })).rejects.toThrow(/not a valid number/);
    await addDoNotCall(stack.db, stack.pii, { tenantId: tn.tenantId, e164: "+14155552676" });
    await expect(start({ to: "+1 415-555-2676" })).rejects.toThrow("+14155552676 is on your do-not-call list.");
    await expect(start({ fromNumberId: other.fromNumberId })).rejects.toThrow(
      "Choose one of your numbers to call from.",
    );
    await expect(start({ agentId: other.agentId })).rejects.toThrow("Choose one of your agents.");
    expect(twilioFake.calls.size).toBe(before);
    expect(await ownerQuery(ownerUrl(), "select id from calls where tenant_id = $1", [tn.tenantId])).toEqual([]);
  });
});
