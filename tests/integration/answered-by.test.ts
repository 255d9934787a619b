import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { callJson } from "../../app/api/schemas";
import { callsCsv } from "../../app/exports/calls-csv.server";
import { dialCampaigns } from "../../app/telephony/campaigns.server";
import { buyNumber, importNumber, searchNumbers, type Telephony } from "../../app/telephony/numbers.server";
import { startOutboundCall } from "../../app/telephony/outbound.server";
import { eventBody } from "../../app/webhooks/events.server";
import { parseCsv } from "../../core/csv";
import { recordScreened } from "../../db/queries/call-lifecycle";
import { getCall, listCalls } from "../../db/queries/calls";
import { type CampaignSettings, createCampaign, getCampaign } from "../../db/queries/campaigns";
import { ownerQuery, seedTenant } from "../support/seed";
import { startTelephonyStack } from "../support/telephony";
import { eventually } from "../support/wait";

/**
 * How an outbound call was answered, from Twilio's answering machine detection at the edge
 * (https://www.twilio.com/docs/voice/answering-machine-detection), is the call's outcome: in its
 * record, the API, the webhooks, the CSV export and its campaign's counts and retries
 * (docs/decisions/0045). Each AnsweredBy Twilio documents is sent by the Twilio fake as Twilio would.
 */
let env: Awaited<ReturnType<typeof startTelephonyStack>>;
let t: Telephony;
const ownerUrl = () => inject("ownerUrl");
const actor = { userId: null, ip: null };
/** Campaign callees, by number: how each answers (absent: the test answers it itself). */
const answers = new Map<string, string>();

beforeAll(async () => {
  env = await startTelephonyStack(inject("appUrl"), (c) => {
    const answeredBy = answers.get(c.to);
    return answeredBy ? { talkMs: 300, answeredBy } : undefined;
  });
  t = env.t;
});
afterAll(() => env?.stop());

async function tenantWithNumber(areaCode = "240") {
  const tenant = { ...(await seedTenant(ownerUrl())), tenantName: "Out", actor };
  const [n] = await searchNumbers(t, { country: "US", kind: "local", areaCode });
  const number = await buyNumber(t, { ...tenant, e164: n!.e164, agentId: null });
  return { ...tenant, fromNumberId: number.id };
}
const base = { variables: {}, voicemailMessage: null };
const callRow = (id: string) =>
  ownerQuery<{ answered_by: string | null; end_reason: string | null; provider_status: string | null }>(
    ownerUrl(),
    "select answered_by, end_reason, provider_status from calls where id = $1",
    [id],
  ).then((r) => r[0]!);
const settled = (id: string) =>
  eventually(async () => (await callRow(id)).provider_status === "completed", 15_000, "the final status").then(() =>
    callRow(id),
  );

describe("how an outbound call was answered", () => {
  it("is each AnsweredBy Twilio documents, recorded as the call's outcome and shown wherever the call is", async () => {
    const tn = await tenantWithNumber();
    const cases = [
      ["human", "human"],
      ["machine_start", "voicemail"],
      ["machine_end_beep", "voicemail"],
      ["machine_end_silence", "voicemail"],
      ["machine_end_other", "voicemail"],
      ["fax", "fax"],
      ["unknown", "unknown"],
    ] as const;
    const ids: Record<string, string> = {};
    for (const [i, [twilioValue, outcome]] of cases.entries()) {
      const placed = await startOutboundCall(t, {
        ...base,
        tenantId: tn.tenantId,
        agentId: tn.agentId,
        fromNumberId: tn.fromNumberId,
        to: `+1415555${2700 + i}`,
        machineDetection: "hangup",
      });
      const answered = await env.twilioFake.answer(placed.callSid, { answeredBy: twilioValue, talkMs: 300 });
      // A person, or a callee detection could not place, gets the agent; a machine or a fax, a hang-up.
      expect(answered.streamed, twilioValue).toBe(outcome === "human" || outcome === "unknown");
      const row = await settled(placed.callId);
      expect(row.answered_by, twilioValue).toBe(outcome);
      if (!answered.streamed) expect(row.end_reason).toBe("machine_hangup");
      ids[twilioValue] = placed.callId;
    }
    const [event] = await ownerQuery<{ payload: unknown }>(
      ownerUrl(),
      "select payload from call_events where call_id = $1 and type = 'call.answered_by'",
      [ids.machine_end_beep],
    );
    expect(event!.payload).toEqual({ answeredBy: "voicemail", twilio: "machine_end_beep" });

    // Detection off: Twilio sends no AnsweredBy, and nothing is claimed.
    const plain = await startOutboundCall(t, {
      ...base,
      tenantId: tn.tenantId,
      agentId: tn.agentId,
      fromNumberId: tn.fromNumberId,
      to: "+14155552799",
      machineDetection: "off",
    });
    await env.twilioFake.answer(plain.callSid, { talkMs: 300 });
    expect((await settled(plain.callId)).answered_by).toBeNull();

    // The API's call, the call.ended webhook, the list's filter and the CSV export all say it.
    const call = await getCall(env.stack.db, env.stack.pii, { tenantId: tn.tenantId, id: ids.fax! });
    expect(callJson(call!).answeredBy).toBe("fax");
    const body = await eventBody(env.stack, {
      tenantId: tn.tenantId,
      type: "call.ended",
      eventId: `call.ended:${ids.machine_start}`,
      occurredAt: new Date().toISOString(),
      ref: { callId: ids.machine_start },
    });
    expect(JSON.parse(body!).data.call.answeredBy).toBe("voicemail");
    const voicemails = await listCalls(env.stack.db, env.stack.pii, { tenantId: tn.tenantId, answeredBy: "voicemail" });
    expect(voicemails.map((c) => c.id).sort()).toEqual(
      [ids.machine_start, ids.machine_end_beep, ids.machine_end_silence, ids.machine_end_other].sort(),
    );
    const csv = parseCsv(
      await (
        await callsCsv(env.stack, {
          tenantId: tn.tenantId,
          from: new Date(Date.now() - 3_600_000),
          to: new Date(Date.now() + 86_400_000),
        })
      ).text(),
    );
    const at = csv[0]!.indexOf("answered_by");
    const byId = Object.fromEntries(csv.slice(1).map((r) => [r[1], r[at]]));
    expect(byId[ids.human!]).toBe("human");
    expect(byId[ids.fax!]).toBe("fax");
    expect(byId[plain.callId]).toBe("");
  });

  it("takes an AnsweredBy Twilio does not document as unknown, refuses an oversized one, and never another tenant's call", async () => {
    const tn = await tenantWithNumber();
    const place = (to: string) =>
      startOutboundCall(t, {
        ...base,
        tenantId: tn.tenantId,
        agentId: tn.agentId,
        fromNumberId: tn.fromNumberId,
        to,
        machineDetection: "leave_message",
        voicemailMessage: "Call us back.",
      });
    const odd = await place("+14155552781");
    expect((await env.twilioFake.answer(odd.callSid, { answeredBy: "machine_maybe", talkMs: 300 })).streamed).toBe(
      true,
    );
    expect((await settled(odd.callId)).answered_by).toBe("unknown");
    const proto = await place("+14155552782");
    await env.twilioFake.answer(proto.callSid, { answeredBy: "__proto__", talkMs: 300 });
    expect((await settled(proto.callId)).answered_by).toBe("unknown");
    const huge = await place("+14155552783");
    const refused = await env.twilioFake.answer(huge.callSid, { answeredBy: `machine_${"x".repeat(80)}`, talkMs: 0 });
    expect(refused).toMatchObject({ twimlStatus: 400, streamed: false });
    expect((await settled(huge.callId)).answered_by).toBeNull();

    // A tenant with its own Twilio account signs the answer webhook for another tenant's ringing call.
    const attacker = await seedTenant(ownerUrl(), { name: "Attacker" });
    const own = env.twilioFake.independentAccount("+12405550188");
    await importNumber(t, {
      ...attacker,
      tenantName: "Attacker",
      actor,
      accountSid: own.sid,
      authToken: own.auth_token,
      e164: "+12405550188",
      agentId: attacker.agentId,
    });
    const victim = await place("+14155552784");
    const url = `${env.stack.edgeUrl}twilio/outbound?call=${victim.callId}`;
    const params = {
      AccountSid: own.sid,
      CallSid: `CA${crypto.randomUUID().replace(/-/g, "")}`,
      CallStatus: "in-progress",
      AnsweredBy: "machine_end_beep",
    };
    const forged = await fetch(url, {
      method: "POST",
      headers: { "x-twilio-signature": twilio.getExpectedTwilioSignature(own.auth_token, url, params) },
      body: new URLSearchParams(params),
    });
    expect(await forged.text()).not.toContain("<Stream");
    expect(await callRow(victim.callId)).toMatchObject({ answered_by: null });
    expect(
      await ownerQuery(ownerUrl(), "select id from call_events where call_id = $1 and type = 'call.answered_by'", [
        victim.callId,
      ]),
    ).toEqual([]);
    // The real answer still decides.
    await env.twilioFake.answer(victim.callSid, { answeredBy: "human", talkMs: 300 });
    expect((await settled(victim.callId)).answered_by).toBe("human");
    // Nor does another tenant's list filter show these calls.
    expect(await listCalls(env.stack.db, env.stack.pii, { tenantId: attacker.tenantId, answeredBy: "human" })).toEqual(
      [],
    );
  });
});

describe("a campaign", () => {
  it("counts its contacts by how they answered, and calls again one whose machine it hung up on", async () => {
    const tn = await tenantWithNumber("301");
    const [human, machine, fax, screened] = ["+14155552791", "+14155552792", "+14155552794", "+14155552795"];
    answers.set(human!, "human").set(machine!, "machine_start").set(fax!, "fax");
    const settings: CampaignSettings = {
      name: "Outcomes",
      agentId: tn.agentId,
      fromNumberIds: [tn.fromNumberId],
      windowStartMinute: 0,
      windowEndMinute: 1440,
      defaultTimezone: "UTC",
      callsPerMinute: 10,
      maxConcurrent: 4,
      maxAttempts: 2,
      retryDelayMinutes: 0,
      machineDetection: "hangup",
      voicemailMessage: null,
      screeningAction: "hang_up",
    };
    const rows = [human, machine, fax, screened].map((phone) => ({
      phone: phone!,
      timezone: "UTC",
      variables: {},
      doNotCall: false,
    }));
    const campaign = await createCampaign(env.stack.db, env.stack.pii, { tenantId: tn.tenantId, settings, rows });
    expect(await dialCampaigns(t, () => {})).toBe(4);
    // The screened callee: the relay heard its assistant and stated the purpose, and the person took the
    // call (the relay's side of it is driven in call-screening.test.ts); nothing to try again.
    const [call] = await eventually(
      async () => {
        const r = await ownerQuery<{ id: string; provider_call_sid: string | null }>(
          ownerUrl(),
          "select c.id, c.provider_call_sid from calls c join campaign_rows r on r.id = c.campaign_row_id where r.campaign_id = $1 and r.row_number = 4",
          [campaign.id],
        );
        return r[0]?.provider_call_sid ? r : null;
      },
      10_000,
      "the screened callee's call",
    );
    const screen = { tenantId: tn.tenantId, callId: call!.id, phrase: "screening service", language: "en" };
    await recordScreened(env.stack.db, { ...screen, action: "state_purpose" });
    await env.twilioFake.answer(call!.provider_call_sid!, { answeredBy: "human", talkMs: 300 });
    const rowOf = (n: number) =>
      ownerQuery<{ status: string; attempts: number; result: Record<string, string> | null }>(
        ownerUrl(),
        "select status, attempts, result from campaign_rows where campaign_id = $1 and row_number = $2",
        [campaign.id, n],
      ).then((r) => r[0]!);
    await eventually(
      async () => (await rowOf(2)).status === "pending" && (await rowOf(1)).status === "completed",
      15_000,
      "the first round to settle",
    );
    expect((await rowOf(2)).result).toMatchObject({ lastOutcome: "completed", answeredBy: "voicemail" });
    expect((await rowOf(3)).result).toMatchObject({ outcome: "completed", answeredBy: "fax" });
    // The retry: the machine again, and this time the last attempt.
    await ownerQuery(
      ownerUrl(),
      "update campaign_rows set claimed_at = claimed_at - interval '61 seconds' where campaign_id = $1",
      [campaign.id],
    );
    expect(await dialCampaigns(t, () => {})).toBe(1);
    await eventually(async () => (await rowOf(2)).status === "completed", 15_000, "the retry to settle");
    expect(await rowOf(2)).toMatchObject({ attempts: 2, result: { answeredBy: "voicemail" } });
    expect((await rowOf(1)).attempts).toBe(1);
    expect((await rowOf(3)).attempts).toBe(1);
    const done = await getCampaign(env.stack.db, env.stack.pii, { tenantId: tn.tenantId, id: campaign.id });
    expect(done!.progress.answeredBy).toEqual({ human: 1, voicemail: 1, screening: 1, fax: 1, unknown: 0 });
    // Another tenant asking for this campaign gets nothing.
    const other = await seedTenant(ownerUrl(), { name: "Other" });
    expect(await getCampaign(env.stack.db, env.stack.pii, { tenantId: other.tenantId, id: campaign.id })).toBeNull();
  });
});
