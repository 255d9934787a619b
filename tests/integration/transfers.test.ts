import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buyNumber, searchNumbers } from "../../app/telephony/numbers.server";
import { TRANSFER_UNAVAILABLE } from "../../core/twiml";
import { twilioAccountBySid } from "../../db/queries/phone-numbers";
import { twilioTransfer } from "../../media-relay/twilio-rest";
import { placeInboundCall } from "../fakes/twilio-caller";
import { ownerQuery, seedTenant } from "../support/seed";
import { startTelephonyStack } from "../support/telephony";
import { eventually } from "../support/wait";

let env: Awaited<ReturnType<typeof startTelephonyStack>>;
const ownerUrl = () => inject("ownerUrl");
const actor = { userId: null, ip: null };
// The people transfers ring: ...0001 is busy, anyone else picks up.
const BUSY = "+14155550001";

beforeAll(async () => {
  env = await startTelephonyStack(inject("appUrl"), (c) => (c.to === BUSY ? "busy" : { talkMs: 200 }));
});
afterAll(() => env?.stop());

const events = (callId: string) =>
  ownerQuery<{ type: string; payload: Record<string, unknown> }>(
    ownerUrl(),
    "select type, payload from call_events where call_id = $1 and type like 'transfer.%' order by created_at",
    [callId],
  );

/** A call in progress on a tenant's bought number, known to the Twilio fake, and the relay's transfer for it. */
async function liveCall(areaCode: string) {
  const tenant = { ...(await seedTenant(ownerUrl())), tenantName: "Transfers", actor };
  const [n] = await searchNumbers(env.t, { country: "US", kind: "local", areaCode });
  const bought = await buyNumber(env.t, { ...tenant, e164: n!.e164, agentId: tenant.agentId });
  const account = env.twilioFake.numbers.get(bought.providerSid!)!.account_sid;
  const callSid = env.twilioFake.inboundCall(account, { to: bought.e164, from: "+14155550180" });
  await placeInboundCall({
    edgeUrl: env.stack.edgeUrl,
    authToken: env.twilioFake.accounts.get(account)!.auth_token,
    accountSid: account,
    callSid,
    to: bought.e164,
    from: "+14155550180",
    talkMs: 200,
  });
  const [row] = await ownerQuery<{ id: string }>(ownerUrl(), "select id from calls where provider_call_sid = $1", [
    callSid,
  ]);
  const transfer = twilioTransfer({
    ...env.t.main!,
    edgeUrl: env.stack.edgeUrl,
    account: (sid) => twilioAccountBySid(env.stack.db, env.stack.pii, sid),
  });
  return {
    callSid,
    callId: row!.id,
    account,
    transfer: (r: { number: string; mode: "cold" | "warm"; summary?: string }) =>
      transfer(callSid, { ...r, callId: row!.id }, account),
  };
}

describe("transfers", () => {
  it("cold: an unanswered transfer tells the caller and is filed once; an answered one is filed with its length", async () => {
    const a = await liveCall("971");
    await a.transfer({ number: "+14155550002", mode: "cold" });
    const missed = await env.twilioFake.dialEnds(a.callSid, "no-answer");
    expect(missed).toEqual({
      status: 200,
      twiml: expect.stringContaining(`<Say>${TRANSFER_UNAVAILABLE.replace(/'/g, "&apos;")}</Say><Hangup/>`),
    });
    expect((await env.twilioFake.dialEnds(a.callSid, "no-answer")).status).toBe(200); // Twilio retries: nothing new
    expect(await events(a.callId)).toEqual([
      { type: "transfer.failed", payload: { leg: "cold", status: "no-answer" } },
    ]);

    const b = await liveCall("972");
    await b.transfer({ number: "+14155550002", mode: "cold" });
    expect((await env.twilioFake.dialEnds(b.callSid, "completed", 42)).twiml).toContain("<Hangup/>");
    expect(await events(b.callId)).toEqual([
      { type: "transfer.completed", payload: { leg: "cold", status: "completed", durationSeconds: 42 } },
    ]);
  });

  it("warm, person answers: the caller holds, the person is briefed and joins; answered and ended are filed", async () => {
    const a = await liveCall("973");
    await a.transfer({ number: "+14155550002", mode: "warm", summary: "Ada wants to move her appointment." });
    expect(env.twilioFake.callUpdates.filter((u) => u.callSid === a.callSid).at(-1)!.twiml).toContain(
      `<Conference beep="false" startConferenceOnEnter="false"`,
    );
    await eventually(
      async () => (await events(a.callId)).some((e) => e.type === "transfer.ended"),
      15_000,
      "the person's leg to end",
    );
    expect((await events(a.callId)).map((e) => e.type)).toEqual(["transfer.answered", "transfer.ended"]);
    const person = [...env.twilioFake.calls.values()].find(
      (c) => c.to === "+14155550002" && c.twiml?.includes("Ada wants"),
    )!;
    expect(person.from).toBe(env.twilioFake.calls.get(a.callSid)!.to);
  });

  it("warm, person busy: the waiting caller is told by the jobs process, once", async () => {
    const a = await liveCall("974");
    await a.transfer({ number: BUSY, mode: "warm", summary: "Bob has a billing question." });
    await eventually(
      async () =>
        (
          await ownerQuery(
            ownerUrl(),
            "select id from call_events where call_id = $1 and type = 'transfer.caller_told'",
            [a.callId],
          )
        ).length === 1,
      15_000,
      "the caller to be told",
    );
    expect(env.twilioFake.callUpdates.filter((u) => u.callSid === a.callSid).at(-1)!.twiml).toBe(
      `<Response><Say>${TRANSFER_UNAVAILABLE.replace(/'/g, "&apos;")}</Say><Hangup/></Response>`,
    );
    // Twilio posting the same status again changes nothing and queues nothing.
    const person = [...env.twilioFake.calls.values()].find((c) => c.to === BUSY && c.twiml?.includes("Bob has"))!;
    expect(
      await env.twilioFake.sendStatus(person.status_callback!, a.account, { CallSid: person.sid, CallStatus: "busy" }),
    ).toBe(204);
    expect((await events(a.callId)).map((e) => e.type)).toEqual(["transfer.failed", "transfer.caller_told"]);
    expect(
      await ownerQuery(
        ownerUrl(),
        "select id from pgboss.job where name = 'transfer.fallback' and data->>'callId' = $1",
        [a.callId],
      ),
    ).toHaveLength(1);
  });

  it("refuses forged and malformed outcome posts", async () => {
    const a = await liveCall("975");
    const url = `${env.stack.edgeUrl}twilio/transfer?call=${a.callId}&leg=cold`;
    const forged = await fetch(url, {
      method: "POST",
      headers: { "x-twilio-signature": "Zm9yZ2Vk" },
      body: new URLSearchParams({ AccountSid: a.account, CallSid: a.callSid, DialCallStatus: "completed" }),
    });
    expect(forged.status).toBe(403);
    expect(
      await env.twilioFake.sendStatus(`${env.stack.edgeUrl}twilio/transfer?call=not-a-uuid&leg=person`, a.account, {
        CallSid: a.callSid,
        CallStatus: "busy",
      }),
    ).toBe(400);
    expect(await events(a.callId)).toEqual([]);
  });
});
