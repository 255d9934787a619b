import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openaiAnalyst, sandboxAnalyst } from "../../app/analysis/analyst.server";
import { analyzeCall, failCallAnalysis } from "../../app/analysis/analyze.server";
import { callsCsv } from "../../app/exports/calls-csv.server";
import { eventBody } from "../../app/webhooks/events.server";
import { AnalysisFormatError } from "../../core/analysis/plan";
import { createPiiCipher, generatePiiKey } from "../../core/crypto/pii";
import { parseCsv } from "../../core/csv";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { updateAgent } from "../../db/queries/agents";
import { callExportBatch } from "../../db/queries/call-export";
import { addTurn, answerCall, closeCall } from "../../db/queries/call-lifecycle";
import { getCall, listCalls } from "../../db/queries/calls";
import { routeInboundCall } from "../../db/queries/inbound-calls";
import { recordCallUsage } from "../../db/queries/usage";
import { createWebhookEndpoint } from "../../db/queries/webhook-endpoints";
import { startOpenAIFake } from "../fakes/openai";
import { ownerQuery, seedTenant } from "../support/seed";

let db: NodeDb;
const pii = createPiiCipher({ keys: generatePiiKey("analysis"), blindIndexKey: "analysis-index" });
const actor = { userId: null, ip: null };
const agentBase = {
  name: "Bookings",
  systemPrompt: "Book tables.",
  firstMessage: "Hello!",
  voice: "sandbox-alloy",
  model: "gpt-4o-mini",
};
const plan = {
  dataSchema: { type: "object", properties: { name: { type: "string" }, partySize: { type: "integer" } } },
  successRubric: "A table was booked.",
};
/** The model's answer, decided from the transcript it is shown (a deterministic stand-in for a real model). */
let answer = (transcript: string) =>
  JSON.stringify({
    summary: `Caller asked: ${/Caller: (.*)/.exec(transcript)?.[1]}`,
    data: {
      name: /I'm (\w+)/.exec(transcript)?.[1] ?? null,
      partySize: Number(/for (\d+)/.exec(transcript)?.[1] ?? 0) || null,
    },
    success: {
      passed: /booked/i.test(transcript),
      reason: /booked/i.test(transcript) ? "A table was booked." : "Nothing was booked.",
    },
  });
let openai: Awaited<ReturnType<typeof startOpenAIFake>>;

beforeAll(async () => {
  db = createNodeDb(inject("appUrl"), { max: 3 });
  openai = await startOpenAIFake({
    apiKey: "sk-analysis",
    reply: (messages) => answer(String(messages.at(-1)?.content ?? "")),
  });
});
afterAll(async () => {
  await openai?.stop();
  await db?.$pool.end();
});
const analyst = () => openaiAnalyst({ apiKey: "sk-analysis", baseURL: openai.baseURL, model: "gpt-4o-mini" });

/** A call that ran, was said, ended and was billed, as the relay and the jobs leave one. */
async function endedCall(t: { tenantId: string; agentId: string; number: string }, lines: [string, string][]) {
  const call = await routeInboundCall(db, pii, {
    to: t.number,
    from: "+14155550142",
    providerCallSid: `CA${crypto.randomUUID().replace(/-/g, "")}`,
    signer: "platform",
  });
  if (call.kind !== "connect") throw new Error("expected a call");
  await answerCall(db, { tenantId: t.tenantId, callId: call.callId, agentId: t.agentId });
  for (const [i, [speaker, text]] of lines.entries())
    await addTurn(db, {
      tenantId: t.tenantId,
      callId: call.callId,
      seq: i,
      speaker: speaker as "agent" | "caller",
      text,
      offsetMs: i * 1000,
    });
  await closeCall(db, { tenantId: t.tenantId, callId: call.callId, reason: "caller_hangup" });
  await recordCallUsage(db, { tenantId: t.tenantId, callId: call.callId });
  return call.callId;
}
const queued = (type: string, callId: string) =>
  ownerQuery<{ n: number }>(
    inject("ownerUrl"),
    "select count(*)::int as n from pgboss.job where name = $1 and data->>'callId' = $2",
    [type, callId],
  ).then((r) => r[0]!.n);
const webhookEvents = (tenantId: string) =>
  ownerQuery<{ type: string }>(
    inject("ownerUrl"),
    "select data->>'type' as type from pgboss.job where name = 'webhook.event' and data->>'tenantId' = $1",
    [tenantId],
  ).then((r) => r.map((x) => x.type).sort());

describe("post-call analysis", () => {
  it("summarises, extracts the agent's fields and judges success with the version the call ran; call.ended carries it", async () => {
    const t = await seedTenant(inject("ownerUrl"));
    await createWebhookEndpoint(db, pii, {
      tenantId: t.tenantId,
      url: "https://hooks.example.com/a",
      events: [],
      actor,
    });
    await updateAgent(db, { id: t.agentId, tenantId: t.tenantId, actor, version: 1, ...agentBase, analysisPlan: plan });
    const callId = await endedCall(t, [
      ["agent", "Hello!"],
      ["caller", "Hi, I'm Ann, a table for 4 please"],
      ["agent", "Booked for 4 at 8."],
    ]);
    // After the call ran, the agent's plan changes: the call is still analysed by the plan it ran with.
    await updateAgent(db, { id: t.agentId, tenantId: t.tenantId, actor, version: 2, ...agentBase, analysisPlan: {} });
    expect(await queued("call.analyze", callId)).toBe(1);
    expect(await webhookEvents(t.tenantId)).toEqual(["call.started", "transcript.ready"]);

    expect(
      await analyzeCall({ db, pii, analystFor: async () => analyst() }, { tenantId: t.tenantId, callId }),
    ).toMatchObject({ analyzed: true });
    const request = openai.requests.at(-1)!;
    expect(request).toMatchObject({ model: "gpt-4o-mini", temperature: 0 });
    expect(
      (request as unknown as { response_format: { type: string; json_schema: { schema: { required: string[] } } } })
        .response_format.json_schema.schema.required,
    ).toEqual(["summary", "data", "success"]);
    const call = await getCall(db, pii, { tenantId: t.tenantId, id: callId });
    expect(call!.analysis).toMatchObject({
      status: "completed",
      summary: "Caller asked: Hi, I'm Ann, a table for 4 please",
      data: { name: "Ann", partySize: 4 },
      success: true,
      successReason: "A table was booked.",
      sandbox: false,
    });
    expect(await webhookEvents(t.tenantId)).toEqual(["call.ended", "call.started", "transcript.ready"]);
    const body = JSON.parse(
      (await eventBody(
        { db, pii },
        {
          tenantId: t.tenantId,
          type: "call.ended",
          eventId: "x",
          occurredAt: new Date().toISOString(),
          ref: { callId },
        },
      ))!,
    );
    expect(body.data.call).toMatchObject({
      id: callId,
      agentVersion: 2,
      analysis: { summary: expect.stringContaining("Ann"), data: { name: "Ann", partySize: 4 }, success: true },
    });
    // At rest the analysis is sealed; a second run (a retried job) changes nothing and sends nothing more.
    const [raw] = await ownerQuery<{ summary: string; data: string }>(
      inject("ownerUrl"),
      "select summary, data from call_analyses where call_id = $1",
      [callId],
    );
    expect(raw!.summary.startsWith("pii1.") && !raw!.data.includes("Ann")).toBe(true);
    expect(await analyzeCall({ db, pii, analystFor: async () => analyst() }, { tenantId: t.tenantId, callId })).toEqual(
      { analyzed: false, reason: "already analysed" },
    );
    expect(await webhookEvents(t.tenantId)).toEqual(["call.ended", "call.started", "transcript.ready"]);
  });

  it("a malformed answer stores nothing (the job retries); out of retries the call says why and call.ended still goes once", async () => {
    const t = await seedTenant(inject("ownerUrl"));
    await createWebhookEndpoint(db, pii, {
      tenantId: t.tenantId,
      url: "https://hooks.example.com/b",
      events: ["call.ended"],
      actor,
    });
    await updateAgent(db, { id: t.agentId, tenantId: t.tenantId, actor, version: 1, ...agentBase, analysisPlan: plan });
    const callId = await endedCall(t, [["caller", "I'm Bo, for 2"]]);
    const before = answer;
    answer = () =>
      JSON.stringify({
        summary: "Bo called.",
        data: { name: "Bo", partySize: "two" },
        success: { passed: false, reason: "x" },
      });
    try {
      await expect(
        analyzeCall({ db, pii, analystFor: async () => analyst() }, { tenantId: t.tenantId, callId }),
      ).rejects.toThrow(AnalysisFormatError);
    } finally {
      answer = before;
    }
    expect((await getCall(db, pii, { tenantId: t.tenantId, id: callId }))!.analysis).toBeNull();
    await failCallAnalysis({ db, pii, analystFor: async () => analyst() }, { tenantId: t.tenantId, callId });
    await failCallAnalysis({ db, pii, analystFor: async () => analyst() }, { tenantId: t.tenantId, callId });
    expect((await getCall(db, pii, { tenantId: t.tenantId, id: callId }))!.analysis).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/repeated tries/),
    });
    expect(await webhookEvents(t.tenantId)).toEqual(["call.ended"]);
  });

  it("without a model: SANDBOX analysis, labelled; a silent caller is not sent to a model at all", async () => {
    const t = await seedTenant(inject("ownerUrl"));
    await updateAgent(db, { id: t.agentId, tenantId: t.tenantId, actor, version: 1, ...agentBase, analysisPlan: plan });
    const talked = await endedCall(t, [
      ["agent", "Hello!"],
      ["caller", "Hello there"],
    ]);
    const silent = await endedCall(t, [["agent", "Hello!"]]);
    const requests = openai.requests.length;
    await analyzeCall({ db, pii, analystFor: async () => sandboxAnalyst }, { tenantId: t.tenantId, callId: talked });
    await analyzeCall({ db, pii, analystFor: async () => analyst() }, { tenantId: t.tenantId, callId: silent });
    expect(openai.requests.length).toBe(requests);
    expect((await getCall(db, pii, { tenantId: t.tenantId, id: talked }))!.analysis).toMatchObject({
      sandbox: true,
      summary: expect.stringMatching(/^SANDBOX/),
      data: { name: null, partySize: null },
      success: null,
    });
    expect((await getCall(db, pii, { tenantId: t.tenantId, id: silent }))!.analysis).toMatchObject({
      sandbox: false,
      summary: "The caller did not speak.",
      success: null,
    });
  });

  it("the calls list filters by outcome, and the export has a column per extracted field", async () => {
    const t = await seedTenant(inject("ownerUrl"));
    await updateAgent(db, { id: t.agentId, tenantId: t.tenantId, actor, version: 1, ...agentBase, analysisPlan: plan });
    const booked = await endedCall(t, [
      ["caller", "I'm Cy, for 3, please book it"],
      ["agent", "Booked."],
    ]);
    const notBooked = await endedCall(t, [["caller", "I'm Di, just asking the hours"]]);
    const pending = await endedCall(t, [["caller", "Hello?"]]);
    for (const callId of [booked, notBooked])
      await analyzeCall({ db, pii, analystFor: async () => analyst() }, { tenantId: t.tenantId, callId });
    const ids = async (outcome?: "successful" | "unsuccessful" | "unevaluated") =>
      (await listCalls(db, pii, { tenantId: t.tenantId, outcome })).map((c) => c.id);
    expect(await ids("successful")).toEqual([booked]);
    expect(await ids("unsuccessful")).toEqual([notBooked]);
    expect(await ids("unevaluated")).toEqual([pending]);
    expect((await ids()).sort()).toEqual([booked, notBooked, pending].sort());
    const rows = await callExportBatch(db, pii, {
      tenantId: t.tenantId,
      from: new Date(Date.now() - 60_000),
      to: new Date(Date.now() + 60_000),
    });
    expect(rows.map((r) => [r.id, r.analysis?.data?.name ?? null, r.analysis?.success ?? null])).toEqual([
      [booked, "Cy", true],
      [notBooked, "Di", false],
      [pending, null, null],
    ]);
    // The file's columns come from the plan before the first row: one per field, plus any field no plan names.
    const csv = await callsCsv(
      { db, pii },
      { tenantId: t.tenantId, from: new Date(Date.now() - 60_000), to: new Date(Date.now() + 60_000) },
    );
    const [header, ...lines] = parseCsv(await csv.text());
    expect(header!.slice(-3)).toEqual(["data.name", "data.partySize", "data_other_fields"]);
    expect(lines.map((l) => [l[1], l[header!.indexOf("data.name")], l[header!.indexOf("success")]])).toEqual([
      [booked, "Cy", "true"],
      [notBooked, "Di", "false"],
      [pending, "", ""],
    ]);
  });
});
