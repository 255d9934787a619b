import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buyNumber, importNumber, searchNumbers } from "../../app/telephony/numbers.server";
import { twilioAccountBySid } from "../../db/queries/phone-numbers";
import { twilioTransfer } from "../../media-relay/twilio-rest";
import { placeInboundCall } from "../fakes/twilio-caller";
import { openMediaStream } from "../fakes/twilio-media-stream";
import { ownerQuery, seedTenant } from "../support/seed";
import { startTelephonyStack } from "../support/telephony";
import { eventually } from "../support/wait";

/**
 * A credential only reaches its own tenant. Tenant A has imported its own Twilio account, so it
 * holds that account's auth token and can sign anything Twilio would sign for it. Every provider
 * callback and the relay's stream handshake are aimed at tenant B with A's credential: nothing of
 * B's is read, created, changed or billed.
 */
let env: Awaited<ReturnType<typeof startTelephonyStack>>;
const ownerUrl = () => inject("ownerUrl");
const actor = { userId: null, ip: null };
const sign = (token: string, url: string, params: Record<string, string>) =>
  twilio.getExpectedTwilioSignature(token, url, params);
const post = (url: string, token: string, params: Record<string, string>) =>
  fetch(url, {
    method: "POST",
    headers: { "x-twilio-signature": sign(token, url, params) },
    body: new URLSearchParams(params),
  });
const callsOf = (tenantId: string) =>
  ownerQuery<{ id: string; status: string }>(
    ownerUrl(),
    "select id, status from calls where tenant_id = $1 order by created_at",
    [tenantId],
  );
const newCallSid = () => `CA${crypto.randomUUID().replace(/-/g, "")}`;

let attacker: { tenantId: string; agentId: string; number: string; account: { sid: string; auth_token: string } };
let victim: { tenantId: string; agentId: string; number: string; account: string; authToken: string };

beforeAll(async () => {
  env = await startTelephonyStack(inject("appUrl"));
  const a = await seedTenant(ownerUrl(), { name: "Attacker" });
  const own = env.twilioFake.independentAccount("+15105550177");
  await importNumber(env.t, {
    ...a,
    tenantName: "Attacker",
    actor,
    accountSid: own.sid,
    authToken: own.auth_token,
    e164: "+15105550177",
    agentId: a.agentId,
  });
  attacker = { ...a, number: "+15105550177", account: own };
  const b = await seedTenant(ownerUrl(), { name: "Victim" });
  const [n] = await searchNumbers(env.t, { country: "US", kind: "local", areaCode: "341" });
  const bought = await buyNumber(env.t, { ...b, tenantName: "Victim", actor, e164: n!.e164, agentId: b.agentId });
  const account = env.twilioFake.numbers.get(bought.providerSid!)!.account_sid;
  victim = { ...b, number: bought.e164, account, authToken: env.twilioFake.accounts.get(account)!.auth_token };
});
afterAll(() => env?.stop());

describe("a tenant's own Twilio account", () => {
  it("carries calls to its own number: the stream's account travels in the path, which Twilio keeps", async () => {
    const call = await placeInboundCall({
      edgeUrl: env.stack.edgeUrl,
      authToken: attacker.account.auth_token,
      accountSid: attacker.account.sid,
      to: attacker.number,
      from: "+14155550190",
      talkMs: 600,
    });
    expect(call.twiml).toContain(`/twilio/${attacker.account.sid}"`);
    expect(call.agentFrames).toBeGreaterThan(10);
    expect(call.closeCode).toBe(1000);
  });

  it("cannot route a call to another tenant's number (the call hijack)", async () => {
    const before = await callsOf(victim.tenantId);
    const call = await placeInboundCall({
      edgeUrl: env.stack.edgeUrl,
      authToken: attacker.account.auth_token,
      accountSid: attacker.account.sid,
      to: victim.number,
      from: "+14155550191",
      talkMs: 300,
    });
    expect(call.twimlStatus).toBe(403);
    expect(call.streamed).toBe(false);
    expect(await callsOf(victim.tenantId)).toEqual(before);
  });

  it("cannot open another tenant's call on its own stream handshake", async () => {
    // A stream token for one of B's calls, as Twilio received it in B's TwiML.
    const legit = await fetchTwiml(victim.number, victim.account, victim.authToken);
    const token = /<Parameter name="token" value="([^"]+)"\/>/.exec(legit.twiml)![1]!;
    const [ringing] = await ownerQuery<{ id: string }>(
      ownerUrl(),
      "select id from calls where provider_call_sid = $1",
      [legit.callSid],
    );
    const relay = new URL(/<Stream url="([^"]+)"/.exec(legit.twiml)![1]!).origin.replace(/^http/, "ws");
    const hijack = await openMediaStream(
      `${relay}/twilio/${attacker.account.sid}`,
      { token },
      attacker.account.auth_token,
    );
    await hijack.waitFor("the relay to close the hijacked stream", () => hijack.closed() !== null);
    expect(hijack.closed()).toBe(1008);
    // The platform's own stream path with B's token (signed with A's token) is refused at the handshake.
    await expect(openMediaStream(`${relay}/twilio`, { token }, attacker.account.auth_token)).rejects.toThrow(/403/);
    const [call] = await ownerQuery<{ status: string }>(ownerUrl(), "select status from calls where id = $1", [
      ringing!.id,
    ]);
    expect(call!.status).toBe("ringing");
  });

  it("cannot touch another tenant's calls through status, recording, transfer, stream-ended or outbound callbacks", async () => {
    const live = await fetchTwiml(victim.number, victim.account, victim.authToken);
    const [row] = await ownerQuery<{ id: string }>(ownerUrl(), "select id from calls where provider_call_sid = $1", [
      live.callSid,
    ]);
    const callId = row!.id;
    const { auth_token: token, sid: AccountSid } = attacker.account;
    const edge = env.stack.edgeUrl;
    const status = await post(`${edge}twilio/status?call=${callId}`, token, {
      AccountSid,
      CallSid: live.callSid,
      CallStatus: "completed",
      CallDuration: "3600",
    });
    expect(status.status).toBe(204);
    const recording = await post(`${edge}twilio/recording`, token, {
      AccountSid,
      CallSid: live.callSid,
      RecordingSid: `RE${"a".repeat(32)}`,
      RecordingUrl: "http://169.254.169.254/latest",
      RecordingStatus: "completed",
    });
    expect(recording.status).toBe(204);
    const transfer = await post(`${edge}twilio/transfer?call=${callId}&leg=cold`, token, {
      AccountSid,
      CallSid: live.callSid,
      DialCallStatus: "completed",
      DialCallDuration: "9",
    });
    expect(transfer.status).toBeLessThan(500);
    const ended = await post(`${edge}twilio/stream-ended?tenant=${victim.tenantId}&call=${callId}`, token, {
      AccountSid,
      CallSid: live.callSid,
    });
    expect(await ended.text()).toMatch(/<Response><Hangup\/><\/Response>$/);
    const outbound = await post(`${edge}twilio/outbound?call=${callId}`, token, { AccountSid, CallSid: live.callSid });
    expect(await outbound.text()).not.toContain("<Stream");

    const [after] = await ownerQuery<{
      status: string;
      duration_seconds: number | null;
      provider_duration_seconds: number | null;
    }>(ownerUrl(), "select status, duration_seconds, provider_duration_seconds from calls where id = $1", [callId]);
    expect(after).toEqual({ status: "ringing", duration_seconds: null, provider_duration_seconds: null });
    expect(await ownerQuery(ownerUrl(), "select id from recordings where call_id = $1", [callId])).toEqual([]);
    expect(
      await ownerQuery(ownerUrl(), "select type from call_events where call_id = $1 and type <> 'call.received'", [
        callId,
      ]),
    ).toEqual([]);
  });

  it("transfers a call on the tenant's own account with that account's credentials (the main account has no access to it)", async () => {
    const callSid = env.twilioFake.inboundCall(attacker.account.sid, { to: attacker.number, from: "+14155550192" });
    await placeInboundCall({
      edgeUrl: env.stack.edgeUrl,
      authToken: attacker.account.auth_token,
      accountSid: attacker.account.sid,
      callSid,
      to: attacker.number,
      from: "+14155550192",
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
    await transfer(callSid, { callId: row!.id, number: "+14155550002", mode: "cold" }, attacker.account.sid);
    await eventually(
      async () => env.twilioFake.callUpdates.some((u) => u.callSid === callSid && u.twiml.includes("<Dial")),
      5_000,
      "the transfer's TwiML",
    );
  });
});

/** Twilio asking the edge for a call's TwiML (signed with the number's account), without carrying it out. */
async function fetchTwiml(to: string, accountSid: string, authToken: string) {
  const callSid = newCallSid();
  const url = `${env.stack.edgeUrl}twilio/voice`;
  const params = {
    AccountSid: accountSid,
    ApiVersion: "2010-04-01",
    CallSid: callSid,
    CallStatus: "ringing",
    Direction: "inbound",
    From: "+14155550199",
    To: to,
  };
  const res = await post(url, authToken, params);
  expect(res.status).toBe(200);
  return { callSid, twiml: await res.text() };
}
