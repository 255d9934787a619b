import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runSuite, type SuiteDeps } from "../../app/testing/run-suite.server";
import type { AgentTool } from "../../core/agent-tools";
import { createPiiCipher, generatePiiKey } from "../../core/crypto/pii";
import { sandboxEmbedder } from "../../core/knowledge/embeddings";
import type { TestCase } from "../../core/testing/test-case";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { createAgent, updateAgent } from "../../db/queries/agents";
import { addTurn } from "../../db/queries/call-lifecycle";
import { routeInboundCall } from "../../db/queries/inbound-calls";
import { createRun, createSuite, getRun } from "../../db/queries/test-suites";
import { openaiChat } from "../../voice/openai-chat";
import { type Reply, startOpenAIFake } from "../fakes/openai";
import { ownerQuery, seedTenant } from "../support/seed";

let db: NodeDb;
let openai: Awaited<ReturnType<typeof startOpenAIFake>>;
let deps: SuiteDeps;
const actor = { userId: null, ip: null };
/**
 * Takes a run's job off the queue, so the jobs workers other test files start (with no model)
 * leave it to this file, which runs it with the model fake. Returns whether it was queued.
 */
const takeJob = async (runId: string) =>
  (
    await ownerQuery(
      inject("ownerUrl"),
      "delete from pgboss.job where name = 'test.run' and data->>'runId' = $1 returning id",
      [runId],
    )
  ).length === 1;
const queuedRun = async (input: Parameters<typeof createRun>[1]) => {
  const run = await createRun(db, input);
  if (run) expect(await takeJob(run.id)).toBe(true);
  return run;
};
const pii = createPiiCipher({ keys: generatePiiKey("suites"), blindIndexKey: "suites-index" });

/** The model fake: the agent's answers by the caller's last words; a persona caller; a judge. */
function reply(messages: { role: string; content: string | null }[]): Reply {
  const system = messages[0]?.content ?? "";
  const last = messages.at(-1)!;
  if (system.startsWith("You judge a phone call"))
    return JSON.stringify({ passed: /booked/.test(last.content ?? ""), reason: "The booking was confirmed." });
  if (system.startsWith("You are role-playing a caller"))
    return messages.length > 3 ? "[END]" : "Hi, can I book a table for two?";
  if (last.role === "tool")
    return last.content?.includes("Test run") ? "You're booked for Friday at eight. Goodbye!" : "Done.";
  const said = last.content ?? "";
  if (said === "Book Friday at 8 please.")
    return { text: "Let me book that.", tools: [{ name: "book_table", arguments: { day: "Friday", time: "20:00" } }] };
  if (said === "That's all.") return { text: "Bye!", tools: [{ name: "end_call", arguments: {} }] };
  if (said === "Hi, can I book a table for two?") return "Of course, you're booked. Anything else?";
  if (said === "Do you have parking?") return "Sorry, I don't know.";
  return `Echo: ${said}`;
}

beforeAll(async () => {
  db = createNodeDb(inject("appUrl"), { max: 3 });
  openai = await startOpenAIFake({ apiKey: "sk-suites", reply });
  deps = {
    db,
    llmFor: async () => ({ llm: openaiChat({ apiKey: "sk-suites", baseURL: openai.baseURL }), sandbox: false }),
    embedderFor: async () => sandboxEmbedder,
    concurrency: 3,
  };
});
afterAll(async () => {
  await openai?.stop();
  await db?.$pool.end();
});

const bookTool: AgentTool = {
  type: "http",
  name: "book_table",
  description: "Books a table",
  parameters: { type: "object", properties: { day: { type: "string" }, time: { type: "string" } } },
  url: "https://bookings.example.com/book",
  method: "POST",
};
const agentSettings = {
  name: "Bistro",
  systemPrompt: "Book tables.",
  firstMessage: "Bistro, hello!",
  voice: "sandbox-alloy",
  model: "gpt-4o-mini",
  tools: [bookTool, { type: "end_call" } as AgentTool],
};
const cases: TestCase[] = [
  {
    id: "c1",
    name: "books and hangs up",
    caller: { kind: "scripted", turns: ["Book Friday at 8 please.", "That's all."] },
    expectations: [
      { type: "must_say", text: "booked for friday" },
      { type: "tool_called", name: "book_table", arguments: { day: "friday", time: "20:00" } },
      { type: "ends_call" },
    ],
  },
  {
    id: "c2",
    name: "never apologises",
    caller: { kind: "scripted", turns: ["Do you have parking?"] },
    expectations: [{ type: "must_not_say", text: "sorry" }],
  },
  {
    id: "c3",
    name: "a persona books",
    caller: { kind: "persona", prompt: "A diner who wants a table for two.", maxTurns: 4 },
    expectations: [
      { type: "must_say", text: "you're booked" },
      { type: "judge", criterion: "The agent confirms the booking." },
    ],
  },
];

describe("agent test suites", () => {
  it("run cases side by side through the conversation engine, in text, and report each with its transcript and checks", async () => {
    const t = await seedTenant(inject("ownerUrl"));
    const agent = await createAgent(db, { tenantId: t.tenantId, actor, ...agentSettings });
    const suite = await createSuite(db, { tenantId: t.tenantId, agentId: agent.id, name: "Bookings", cases });
    const run = await queuedRun({ tenantId: t.tenantId, agentId: agent.id, suiteId: suite!.id });
    expect(run).toMatchObject({ status: "queued", agentVersion: 1 });
    const toolCallsBefore = openai.requests.length;

    const summary = await runSuite(deps, { tenantId: t.tenantId, runId: run!.id });
    const done = await getRun(db, { tenantId: t.tenantId, id: run!.id });
    expect(summary).toEqual({ cases: 3, passed: 2, failed: 1 });
    expect(done).toMatchObject({ status: "failed", passed: 2, failed: 1 });
    const byName = Object.fromEntries(done!.results.map((r) => [r.caseName, r]));
    expect(byName["books and hangs up"]!.status).toBe("passed");
    expect(byName["books and hangs up"]!.transcript.map((l) => l.speaker)).toEqual([
      "agent",
      "caller",
      "agent",
      "tool",
      "agent",
      "caller",
      "agent",
      "tool",
    ]);
    expect(byName["books and hangs up"]!.transcript[3]!.text).toMatch(
      /^book_table\(\{"day":"Friday","time":"20:00"\}\) → \{"ok":true,"note":"Test run/,
    );
    expect(byName["never apologises"]).toMatchObject({
      status: "failed",
      checks: [{ passed: false, detail: 'said: "sorry, i don\'t know."' }],
    });
    expect(byName["a persona books"]!.status).toBe("passed");
    expect(byName["a persona books"]!.transcript[1]).toEqual({
      speaker: "caller",
      text: "Hi, can I book a table for two?",
    });
    expect(byName["a persona books"]!.checks[1]).toMatchObject({ passed: true, detail: "The booking was confirmed." });
    // The tenant's HTTP tool was never called for real: only the model was asked anything.
    expect(openai.requests.length).toBeGreaterThan(toolCallsBefore);
  });

  it("run against a chosen version, and replay a past call's caller turns against another version", async () => {
    const t = await seedTenant(inject("ownerUrl"));
    const agent = await createAgent(db, { tenantId: t.tenantId, actor, ...agentSettings });
    await updateAgent(db, {
      id: agent.id,
      tenantId: t.tenantId,
      actor,
      version: 1,
      ...agentSettings,
      firstMessage: "Welcome to the new Bistro!",
    });
    const suite = await createSuite(db, {
      tenantId: t.tenantId,
      agentId: agent.id,
      name: "Greeting",
      cases: [
        {
          id: "g",
          name: "greets",
          caller: { kind: "scripted", turns: [] },
          expectations: [{ type: "must_say", text: "welcome to the new bistro" }],
        },
      ],
    });
    const v1 = await queuedRun({ tenantId: t.tenantId, agentId: agent.id, suiteId: suite!.id, version: 1 });
    const v2 = await queuedRun({ tenantId: t.tenantId, agentId: agent.id, suiteId: suite!.id });
    for (const r of [v1!, v2!]) await runSuite(deps, { tenantId: t.tenantId, runId: r.id });
    expect((await getRun(db, { tenantId: t.tenantId, id: v1!.id }))!.status).toBe("failed");
    expect(await getRun(db, { tenantId: t.tenantId, id: v2!.id })).toMatchObject({ status: "passed", agentVersion: 2 });
    expect(await createRun(db, { tenantId: t.tenantId, agentId: agent.id, suiteId: suite!.id, version: 9 })).toBeNull();

    // A past call (on the seeded agent's number) and its caller turns, replayed against version 2.
    await ownerQuery(inject("ownerUrl"), "update phone_numbers set agent_id = $1 where tenant_id = $2", [
      agent.id,
      t.tenantId,
    ]);
    const call = await routeInboundCall(db, pii, {
      to: t.number,
      from: "+14155550177",
      providerCallSid: `CA${crypto.randomUUID().replace(/-/g, "")}`,
      signer: "platform",
    });
    if (call.kind !== "connect") throw new Error("expected a call");
    for (const [i, [speaker, text]] of (
      [
        ["agent", "Bistro, hello!"],
        ["caller", "Do you have parking?"],
        ["agent", "Sorry, I don't know."],
      ] as const
    ).entries())
      await addTurn(db, { tenantId: t.tenantId, callId: call.callId, seq: i, speaker, text, offsetMs: i * 1000 });
    const replay = await queuedRun({
      tenantId: t.tenantId,
      agentId: agent.id,
      replayOfCallId: call.callId,
      version: 2,
    });
    await runSuite(deps, { tenantId: t.tenantId, runId: replay!.id });
    const result = (await getRun(db, { tenantId: t.tenantId, id: replay!.id }))!.results[0]!;
    expect(result.transcript).toEqual([
      { speaker: "agent", text: "Welcome to the new Bistro!" },
      { speaker: "caller", text: "Do you have parking?" },
      { speaker: "agent", text: "Sorry, I don't know." },
    ]);
    const other = await seedTenant(inject("ownerUrl"));
    expect(
      await createRun(db, { tenantId: other.tenantId, agentId: agent.id, replayOfCallId: call.callId }),
    ).toBeNull();
  });
});
