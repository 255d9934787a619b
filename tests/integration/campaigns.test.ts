import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { readCampaignCsv } from "../../app/telephony/campaign-csv.server";
import { dialCampaigns } from "../../app/telephony/campaigns.server";
import { buyNumber, searchNumbers, type Telephony } from "../../app/telephony/numbers.server";
import { type CampaignSettings, createCampaign, getCampaign, setCampaignStatus } from "../../db/queries/campaigns";
import { addDoNotCall } from "../../db/queries/outbound-calls";
import { ownerQuery, seedTenant } from "../support/seed";
import { startTelephonyStack } from "../support/telephony";
import { eventually } from "../support/wait";

let env: Awaited<ReturnType<typeof startTelephonyStack>>;
let stack: typeof env.stack;
let twilioFake: typeof env.twilioFake;
let t: Telephony;
const ownerUrl = () => inject("ownerUrl");
const actor = { userId: null, ip: null };
// Numbers ending in 3 are busy on their first try; ending in 7 never answer.
const tries = new Map<string, number>();
let talkMs = 300;

beforeAll(async () => {
  env = await startTelephonyStack(inject("appUrl"), (c) => {
    const n = (tries.get(c.to) ?? 0) + 1;
    tries.set(c.to, n);
    if (c.to.endsWith("7")) return "no-answer";
    if (c.to.endsWith("3") && n === 1) return "busy";
    return { talkMs };
  });
  ({ stack, twilioFake, t } = env);
});
afterAll(() => env?.stop());

const settings = (over: Partial<CampaignSettings>): CampaignSettings => ({
  name: "Spring reminders",
  agentId: "",
  fromNumberIds: [],
  windowStartMinute: 0,
  windowEndMinute: 1440,
  defaultTimezone: "UTC",
  callsPerMinute: 10,
  maxConcurrent: 4,
  maxAttempts: 2,
  retryDelayMinutes: 0,
  machineDetection: "off",
  voicemailMessage: null,
  ...over,
});
/** Time passes for the pacing window: claims made so far count as more than a minute old. */
const aMinuteLater = (campaignId: string) =>
  ownerQuery(
    ownerUrl(),
    "update campaign_rows set claimed_at = claimed_at - interval '61 seconds' where campaign_id = $1 and claimed_at is not null",
    [campaignId],
  );
const rowsIn = (campaignId: string, status: string) =>
  ownerQuery(ownerUrl(), "select id from campaign_rows where campaign_id = $1 and status = $2", [
    campaignId,
    status,
  ]).then((r) => r.length);

async function tenantWithNumbers() {
  const tenant = { ...(await seedTenant(ownerUrl())), tenantName: "Campaigner", actor };
  await ownerQuery(ownerUrl(), "update agents set first_message = 'Hi {{name}}!' where id = $1", [tenant.agentId]);
  const found = await searchNumbers(t, { country: "US", kind: "local", areaCode: "312" });
  const a = await buyNumber(t, { ...tenant, e164: found[0]!.e164, agentId: null });
  const b = await buyNumber(t, { ...tenant, e164: found[1]!.e164, agentId: null });
  return { ...tenant, fromNumberIds: [a.id, b.id] };
}

describe("a campaign", () => {
  it("calls 50 people at its pace, retries the busy, survives a pause, a lost worker and a relay restart, and calls no one twice", async () => {
    const tn = await tenantWithNumbers();
    const csv = [
      "phone,name,timezone",
      ...Array.from(
        { length: 50 },
        (_, i) => `+1415555${String(3000 + i).padStart(4, "0")},Person ${i},${i % 2 ? "America/Chicago" : ""}`,
      ),
    ].join("\n");
    const { rows, errors } = await readCampaignCsv(t, { tenantId: tn.tenantId, text: csv, defaultTimezone: "UTC" });
    expect(errors).toEqual([]);
    expect(rows[1]).toMatchObject({ timezone: "America/Chicago", variables: { name: "Person 1" } });
    const campaign = await createCampaign(stack.db, stack.pii, {
      tenantId: tn.tenantId,
      rows,
      settings: settings({ agentId: tn.agentId, fromNumberIds: tn.fromNumberIds }),
    });

    // Pace: one tick may start at most max-concurrent calls, and no more than 10 in a minute.
    expect(await dialCampaigns(t, () => {})).toBe(4);
    await eventually(async () => (await rowsIn(campaign.id, "dialling")) === 0, 15_000, "the first calls to end");
    expect(await dialCampaigns(t, () => {})).toBe(4);
    await eventually(async () => (await rowsIn(campaign.id, "dialling")) === 0, 15_000, "the next calls to end");
    expect(await dialCampaigns(t, () => {})).toBe(2); // the minute's 10 are spent
    await eventually(async () => (await rowsIn(campaign.id, "dialling")) === 0, 15_000, "the calls to end");
    expect(await dialCampaigns(t, () => {})).toBe(0);

    // Paused, nothing is dialled; resumed, it goes on.
    await setCampaignStatus(stack.db, { tenantId: tn.tenantId, id: campaign.id, status: "paused" });
    await aMinuteLater(campaign.id);
    expect(await dialCampaigns(t, () => {})).toBe(0);
    await setCampaignStatus(stack.db, { tenantId: tn.tenantId, id: campaign.id, status: "running" });

    // A worker claims two rows and dies before dialling them: they are given up, never redialled.
    await ownerQuery(
      ownerUrl(),
      "update campaign_rows set status = 'dialling', attempts = 1, last_call_id = null, claimed_at = now() - interval '6 minutes' where id in (select id from campaign_rows where campaign_id = $1 and status = 'pending' and attempts = 0 order by row_number limit 2)",
      [campaign.id],
    );

    for (
      let round = 0;
      round < 60 &&
      (await getCampaign(stack.db, stack.pii, { tenantId: tn.tenantId, id: campaign.id }))!.status === "running";
      round++
    ) {
      await aMinuteLater(campaign.id);
      talkMs = round === 1 ? 3000 : 300;
      await dialCampaigns(t, () => {});
      if (round === 1) {
        // A relay deploy in the middle of a round: the calls on it are cut (closed, not redialled).
        await eventually(
          async () =>
            (
              await ownerQuery(
                ownerUrl(),
                "select id from calls where status = 'in_progress' and campaign_row_id in (select id from campaign_rows where campaign_id = $1)",
                [campaign.id],
              )
            ).length > 0,
          10_000,
          "calls to be on the relay",
        );
        await stack.restartRelay();
      }
      await eventually(async () => (await rowsIn(campaign.id, "dialling")) === 0, 15_000, "a round of calls to end");
    }
    const cut = await ownerQuery<{ end_reason: string }>(
      ownerUrl(),
      "select end_reason from calls where campaign_row_id in (select id from campaign_rows where campaign_id = $1) and end_reason in ('relay_shutdown', 'no_stream')",
      [campaign.id],
    );
    expect(cut.length).toBeGreaterThan(0);
    const done = (await getCampaign(stack.db, stack.pii, { tenantId: tn.tenantId, id: campaign.id }))!;
    expect(done.status).toBe("completed");
    const lost = done.rows.filter((r) => r.result?.reason === "interrupted before dialling");
    expect(lost).toHaveLength(2);
    for (const r of done.rows) {
      const dialled = tries.get(r.phone) ?? 0;
      if (lost.includes(r)) expect(dialled, r.phone).toBe(0);
      else if (r.phone.endsWith("3") || r.phone.endsWith("7"))
        expect([r.phone, dialled, r.attempts]).toEqual([r.phone, 2, 2]);
      else expect([r.phone, dialled, r.status]).toEqual([r.phone, 1, "completed"]);
    }
    expect(done.rows.filter((r) => r.phone.endsWith("7")).every((r) => r.status === "no-answer")).toBe(true);
    expect(
      done.rows.filter((r) => r.phone.endsWith("3") && !lost.includes(r)).every((r) => r.status === "completed"),
    ).toBe(true);
    // Each completed call greeted its person by name (the greeting's turn is written once its marks
    // come back, in the relay's next group commit: it may follow the call's last status).
    const turn = await eventually(
      async () =>
        (
          await ownerQuery<{ text: string }>(
            ownerUrl(),
            "select t.text from call_turns t join calls c on c.id = t.call_id where c.id = $1",
            [done.rows.find((r) => r.status === "completed")!.lastCallId],
          )
        )[0],
      10_000,
      "the greeting's turn",
    );
    expect(turn.text).toMatch(/^Hi Person \d+!$/);
  }, 120_000);

  it("keeps to each callee's calling window, skips do-not-call numbers, and reports bad lines", async () => {
    const tn = await tenantWithNumbers();
    await addDoNotCall(stack.db, stack.pii, { tenantId: tn.tenantId, e164: "+14155554001" });
    const bad = await readCampaignCsv(t, {
      tenantId: tn.tenantId,
      text: "phone,name\nnot-a-phone,X\n+14155554002,Y,\n+14155554003,Z",
      defaultTimezone: "Mars/Olympus",
    });
    expect(bad.errors).toEqual([
      expect.stringMatching(/^Line 2: "not-a-phone" is not a phone number/),
      'Line 3: "Mars/Olympus" is not a time zone (use names like America/Chicago).',
      'Line 4: "Mars/Olympus" is not a time zone (use names like America/Chicago).',
    ]);
    expect(
      (await readCampaignCsv(t, { tenantId: tn.tenantId, text: "name\nAda", defaultTimezone: "UTC" })).errors,
    ).toEqual(["The first line must name the columns, one of them phone."]);

    const { rows } = await readCampaignCsv(t, {
      tenantId: tn.tenantId,
      text: "phone\n+14155554001\n+14155554002",
      defaultTimezone: "UTC",
    });
    expect(rows.map((r) => r.doNotCall)).toEqual([true, false]);
    const nowMinute = new Date().getUTCHours() * 60 + new Date().getUTCMinutes();
    const closed = await createCampaign(stack.db, stack.pii, {
      tenantId: tn.tenantId,
      rows,
      settings: settings({
        agentId: tn.agentId,
        fromNumberIds: tn.fromNumberIds,
        windowStartMinute: (nowMinute + 60) % 1380,
        windowEndMinute: ((nowMinute + 60) % 1380) + 30,
      }),
    });
    const before = twilioFake.calls.size;
    await dialCampaigns(t, () => {});
    expect(twilioFake.calls.size).toBe(before);
    expect(await rowsIn(closed.id, "pending")).toBe(1);
    expect(await rowsIn(closed.id, "do_not_call")).toBe(1);
    await setCampaignStatus(stack.db, { tenantId: tn.tenantId, id: closed.id, status: "cancelled" });
    expect(await rowsIn(closed.id, "cancelled")).toBe(1);
  });
});
