import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  buyNumber,
  checkAllNumbers,
  checkNumbers,
  importNumber,
  releaseNumber,
  searchNumbers,
  type Telephony,
  TelephonyError,
} from "../../app/telephony/numbers.server";
import { placeInboundCall } from "../fakes/twilio-caller";
import { ownerQuery, seedTenant } from "../support/seed";
import { startTelephonyStack } from "../support/telephony";

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

describe("a tenant's phone numbers through Twilio", () => {
  it("buys into its own subaccount, routes a call to the assigned agent, and releases", async () => {
    const tenant = { ...(await seedTenant(ownerUrl())), tenantName: "Acme", actor };
    const accountsBefore = twilioFake.accounts.size;
    const found = await searchNumbers(t, { country: "US", kind: "local", areaCode: "628" });
    expect(found.length).toBeGreaterThan(3);
    expect(found[0]!.e164).toMatch(/^\+1628/);
    // Looking creates nothing: Twilio caps an account's subaccounts, and a search is free for anyone with the permission.
    expect(twilioFake.accounts.size).toBe(accountsBefore);
    expect(
      await ownerQuery(ownerUrl(), "select id from twilio_accounts where tenant_id = $1", [tenant.tenantId]),
    ).toEqual([]);

    const bought = await buyNumber(t, { ...tenant, e164: found[1]!.e164, agentId: tenant.agentId });
    const [account] = await ownerQuery<{ account_sid: string; auth_token: string; kind: string }>(
      ownerUrl(),
      "select account_sid, auth_token, kind from twilio_accounts where tenant_id = $1",
      [tenant.tenantId],
    );
    expect(account).toMatchObject({ kind: "subaccount", account_sid: expect.stringMatching(/^AC/) });
    expect(account!.auth_token).toMatch(/^pii1\./); // the subaccount's token is stored encrypted
    const remote = twilioFake.numbers.get(bought.providerSid!)!;
    expect(remote).toMatchObject({
      account_sid: account!.account_sid,
      voice_url: `${stack.edgeUrl}twilio/voice`,
      status_callback: `${stack.edgeUrl}twilio/status`,
    });

    // Twilio calls the number: it signs with the subaccount's token, and so does the stream.
    const subToken = twilioFake.accounts.get(account!.account_sid)!.auth_token;
    const call = await placeInboundCall({
      edgeUrl: stack.edgeUrl,
      authToken: subToken,
      accountSid: account!.account_sid,
      to: bought.e164,
      from: "+14155550142",
      talkMs: 600,
    });
    expect(call.twimlStatus).toBe(200);
    // Twilio drops a <Stream url>'s query string: the account that signs the stream is in its path.
    expect(call.twiml).toContain(`/twilio/${account!.account_sid}"`);
    expect(call.twiml).not.toContain("?account=");
    expect(call.agentFrames).toBeGreaterThan(10);
    const [row] = await ownerQuery<{ agent_id: string }>(
      ownerUrl(),
      "select agent_id from calls where provider_call_sid = $1",
      [call.callSid],
    );
    expect(row!.agent_id).toBe(tenant.agentId);
    // The platform's own token does not sign for a tenant's account.
    const forged = await placeInboundCall({
      edgeUrl: stack.edgeUrl,
      authToken: stack.secrets.TWILIO_AUTH_TOKEN,
      accountSid: account!.account_sid,
      to: bought.e164,
      from: "+14155550143",
      talkMs: 0,
    });
    expect(forged.twimlStatus).toBe(403);

    expect(await releaseNumber(t, { tenantId: tenant.tenantId, actor, id: bought.id })).toMatchObject({
      id: bought.id,
    });
    expect(twilioFake.numbers.has(bought.providerSid!)).toBe(false);
    expect(await ownerQuery(ownerUrl(), "select id from phone_numbers where id = $1", [bought.id])).toEqual([]);
  });

  it("takes Twilio's status callbacks once each, in order, whatever order or how often they arrive", async () => {
    const tenant = { ...(await seedTenant(ownerUrl())), tenantName: "Status", actor };
    const [n] = await searchNumbers(t, { country: "US", kind: "local", areaCode: "707" });
    const bought = await buyNumber(t, { ...tenant, e164: n!.e164, agentId: tenant.agentId });
    const account = twilioFake.numbers.get(bought.providerSid!)!.account_sid;
    const call = await placeInboundCall({
      edgeUrl: stack.edgeUrl,
      authToken: twilioFake.accounts.get(account)!.auth_token,
      accountSid: account,
      to: bought.e164,
      from: "+14155550150",
      talkMs: 300,
    });
    const statusUrl = `${stack.edgeUrl}twilio/status`;
    const send = (CallStatus: string, CallDuration?: number) =>
      twilioFake.sendStatus(statusUrl, account, { CallSid: call.callSid, CallStatus, CallDuration });
    for (const [status, duration] of [
      ["ringing"],
      ["in-progress"],
      ["in-progress"],
      ["completed", 4],
      ["ringing"],
      ["completed", 4],
      ["busy"],
    ] as [string, number?][])
      expect(await send(status, duration)).toBe(204);
    const [row] = await ownerQuery<{ provider_status: string; provider_duration_seconds: number; id: string }>(
      ownerUrl(),
      "select id, provider_status, provider_duration_seconds from calls where provider_call_sid = $1",
      [call.callSid],
    );
    expect(row).toMatchObject({ provider_status: "completed", provider_duration_seconds: 4 });
    const events = await ownerQuery<{ payload: { status: string } }>(
      ownerUrl(),
      "select payload from call_events where call_id = $1 and type = 'twilio.status' order by created_at",
      [row!.id],
    );
    expect(events.map((e) => e.payload.status)).toEqual(["ringing", "in-progress", "completed"]);

    // Unsigned, signed with the wrong token, or malformed: refused, nothing recorded.
    const forged = await fetch(statusUrl, {
      method: "POST",
      headers: { "x-twilio-signature": "AAAA" },
      body: new URLSearchParams({ AccountSid: account, CallSid: call.callSid, CallStatus: "failed" }),
    });
    expect(forged.status).toBe(403);
    expect(await twilioFake.sendStatus(statusUrl, account, { CallSid: call.callSid, CallStatus: "exploded" })).toBe(
      400,
    );
    expect(
      (
        await ownerQuery(ownerUrl(), "select id from call_events where call_id = $1 and type = 'twilio.status'", [
          row!.id,
        ])
      ).length,
    ).toBe(3);
  });

  it("holds a tenant to its number limit, and refuses a number Twilio no longer has", async () => {
    const tenant = { ...(await seedTenant(ownerUrl())), tenantName: "Limited", actor };
    // The trial allows 3: the seeded number and two more.
    const [a, b, x] = await searchNumbers(t, { country: "US", kind: "tollFree" });
    await buyNumber(t, { ...tenant, e164: a!.e164, agentId: null });
    await buyNumber(t, { ...tenant, e164: x!.e164, agentId: null });
    const over = buyNumber(t, { ...tenant, e164: b!.e164, agentId: null });
    await expect(over).rejects.toThrow(
      new TelephonyError("Your Free trial plan allows 3 phone numbers. Upgrade under Settings → Billing for more."),
    );
    await ownerQuery(ownerUrl(), "update tenants set plan = 'payg' where id = $1", [tenant.tenantId]);
    await expect(buyNumber(t, { ...tenant, e164: a!.e164, agentId: null })).rejects.toThrow(/no longer available/);
    expect(
      (await ownerQuery(ownerUrl(), "select id from phone_numbers where tenant_id = $1", [tenant.tenantId])).length,
    ).toBe(3);

    // Bought at Twilio but refused by our database (the number is already on record elsewhere): handed back at once.
    const [c] = await searchNumbers(t, { country: "US", kind: "local", areaCode: "209" });
    const elsewhere = await seedTenant(ownerUrl(), { number: c!.e164 });
    expect(elsewhere.number).toBe(c!.e164);
    await expect(buyNumber(t, { ...tenant, e164: c!.e164, agentId: null })).rejects.toThrow(
      new TelephonyError(`${c!.e164} is already in use on this platform.`),
    );
    expect([...twilioFake.numbers.values()].some((n) => n.phone_number === c!.e164)).toBe(false);
  });

  it("repairs a number changed in the Twilio console and says what it found", async () => {
    const tenant = { ...(await seedTenant(ownerUrl())), tenantName: "Drift", actor };
    const [n] = await searchNumbers(t, { country: "US", kind: "local", areaCode: "415", contains: "5" });
    const bought = await buyNumber(t, { ...tenant, e164: n!.e164, agentId: tenant.agentId });
    expect(await checkNumbers(t, tenant)).toEqual([{ e164: bought.e164, drift: null }]);
    twilioFake.tamper(bought.e164, { voice_url: "https://someone-else.example/voice" });
    expect(await checkNumbers(t, tenant)).toEqual([
      { e164: bought.e164, drift: "Calls were going to https://someone-else.example/voice; repaired." },
    ]);
    expect(twilioFake.numbers.get(bought.providerSid!)!.voice_url).toBe(`${stack.edgeUrl}twilio/voice`);
    const [row] = await ownerQuery<{ config_drift: string }>(
      ownerUrl(),
      "select config_drift from phone_numbers where id = $1",
      [bought.id],
    );
    expect(row!.config_drift).toMatch(/repaired/);
    // The scheduled run covers every tenant: it finds this one changed again and mends it.
    twilioFake.tamper(bought.e164, { status_callback: null });
    expect(await checkAllNumbers(t, () => {})).toBeGreaterThanOrEqual(1);
    expect(twilioFake.numbers.get(bought.providerSid!)!.status_callback).toBe(`${stack.edgeUrl}twilio/status`);
  });

  it("imports a number from the tenant's own Twilio account, with its credentials checked and kept encrypted", async () => {
    const tenant = { ...(await seedTenant(ownerUrl())), tenantName: "Own", actor };
    const own = {
      sid: `AC${crypto.randomUUID().replace(/-/g, "")}`,
      auth_token: `own-${crypto.randomUUID()}`,
      friendly_name: "theirs",
      owner_account_sid: "",
      status: "active",
    };
    own.owner_account_sid = own.sid;
    twilioFake.accounts.set(own.sid, own);
    twilioFake.numbers.set(`PN${"9".repeat(32)}`, {
      sid: `PN${"9".repeat(32)}`,
      account_sid: own.sid,
      phone_number: "+15105550199",
      friendly_name: "Main line",
      voice_url: "https://old.example/voice",
      voice_method: "POST",
      status_callback: null,
      status_callback_method: "POST",
    });
    const wrong = importNumber(t, {
      ...tenant,
      accountSid: own.sid,
      authToken: "not-it",
      e164: "+15105550199",
      agentId: null,
    });
    await expect(wrong).rejects.toThrow("Twilio refused the credentials.");
    await expect(
      importNumber(t, {
        ...tenant,
        accountSid: own.sid,
        authToken: own.auth_token,
        e164: "+15105550100",
        agentId: null,
      }),
    ).rejects.toThrow(/is not a number in that Twilio account/);
    const imported = await importNumber(t, {
      ...tenant,
      accountSid: own.sid,
      authToken: own.auth_token,
      e164: "+15105550199",
      agentId: tenant.agentId,
    });
    expect(imported).toMatchObject({ friendlyName: "Main line", e164: "+15105550199" });
    expect(twilioFake.numbers.get(`PN${"9".repeat(32)}`)!.voice_url).toBe(`${stack.edgeUrl}twilio/voice`);
    // Released from BVRAI, an imported number stays in the tenant's own account.
    await releaseNumber(t, { tenantId: tenant.tenantId, actor, id: imported.id });
    expect(twilioFake.numbers.has(`PN${"9".repeat(32)}`)).toBe(true);
  });
});
