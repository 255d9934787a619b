import type { Embedder } from "../../core/knowledge/embeddings";
import type { TranscriptLine } from "../../core/testing/expectations";
import { checkAll, type Judge } from "../../core/testing/expectations";
import type { TestCase } from "../../core/testing/test-case";
import type { AgentSettings as VersionSettings } from "../../db/queries/agent-versions";
import { knowledgeLookup } from "../../db/queries/knowledge-search";
import { finishRun, runInputs, saveResult, type TestRunJob } from "../../db/queries/test-suites";
import type { Db } from "../../db/tenant";
import type { AgentSettings } from "../../voice/conversation";
import { type CallerLine, complete, runTextConversation } from "../../voice/text-conversation";
import type { LanguageModel } from "../../voice/types";

export type SuiteDeps = {
  db: Db;
  llmFor: (tenantId: string) => Promise<{ llm: LanguageModel; sandbox: boolean }>;
  embedderFor: (tenantId: string) => Promise<Embedder>;
  concurrency?: number;
};

const flip = (t: TranscriptLine[]) =>
  t
    .filter((l) => l.speaker !== "tool")
    .map((l) => ({ role: l.speaker === "caller" ? ("assistant" as const) : ("user" as const), content: l.text }));

/** The simulated caller: the next scripted line, or the persona model's next utterance ("[END]" ends it). */
function callerFor(c: TestCase, llm: LanguageModel, model: string): CallerLine {
  if (c.caller.kind === "scripted") {
    const lines = [...c.caller.turns];
    return async () => lines.shift() ?? null;
  }
  const persona = c.caller.prompt;
  return async (transcript) => {
    const line = await complete(
      llm,
      [
        {
          role: "system",
          content: `You are role-playing a caller phoning a business. Persona and goal: ${persona}\nSay one short utterance at a time, as spoken. When your goal is met or the call is over, answer exactly [END].`,
        },
        ...flip(transcript),
      ],
      model,
    );
    return !line || line.includes("[END]") ? null : line;
  };
}

const judgeWith =
  (llm: LanguageModel, model: string): Judge =>
  async (criterion, transcript) => {
    const text = await complete(
      llm,
      [
        {
          role: "system",
          content:
            'You judge a phone call between an AI agent and a caller. Answer with JSON only: {"passed": true|false, "reason": "one sentence"}',
        },
        {
          role: "user",
          content: `Criterion: ${criterion}\n\nTranscript:\n${transcript.map((t) => `${t.speaker}: ${t.text}`).join("\n")}`,
        },
      ],
      model,
    );
    try {
      const v = JSON.parse(text.replace(/^```(json)?|```$/g, "")) as { passed?: unknown; reason?: unknown };
      if (typeof v.passed === "boolean") return { passed: v.passed, reason: String(v.reason ?? "") };
    } catch {}
    return { passed: false, reason: `the judge's answer was not a verdict: ${text.slice(0, 120)}` };
  };

/**
 * Runs every case of a run side by side (a few at a time), through the conversation engine the
 * relay uses, against the agent version the run names; stores each result as it finishes.
 */
export async function runSuite(deps: SuiteDeps, job: TestRunJob) {
  const inputs = await runInputs(deps.db, job);
  if (!inputs) return { cases: 0, reason: "not queued (taken by another worker, or deleted)" };
  const { settings, cases } = inputs;
  if (!settings) {
    await finishRun(deps.db, { ...job, passed: 0, failed: 0, status: "error" });
    return { cases: 0, reason: "version missing" };
  }
  const { llm, sandbox } = await deps.llmFor(job.tenantId);
  const s = settings as unknown as VersionSettings;
  const agent: AgentSettings = {
    systemPrompt: s.systemPrompt,
    firstMessage: s.firstMessage,
    voice: s.voice,
    model: s.model,
    language: s.language,
    temperature: Number(s.temperature),
    interruptionSensitivity: Number(s.interruptionSensitivity),
    maxDurationSeconds: s.maxDurationSeconds,
    silenceTimeoutSeconds: 0,
    endCallPhrases: s.endCallPhrases ?? [],
    tools: s.tools ?? [],
    retrievalMode: s.retrievalMode ?? "auto",
  };
  const kbIds = s.knowledgeBaseIds ?? [];
  const knowledge = kbIds.length
    ? knowledgeLookup(deps.db, await deps.embedderFor(job.tenantId), {
        tenantId: job.tenantId,
        knowledgeBaseIds: kbIds,
      })
    : undefined;
  const judge = sandbox ? null : judgeWith(llm, agent.model);
  let passed = 0;
  let failed = 0;
  const queue = [...cases];
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const maxTurns = c.caller.kind === "scripted" ? c.caller.turns.length : Math.min(c.caller.maxTurns, 20);
      try {
        const talk = await runTextConversation({
          llm,
          agent,
          caller: callerFor(c, llm, agent.model),
          maxTurns,
          knowledge,
        });
        const checks = await checkAll(c.expectations, { ...talk, toolCalls: talk.toolCalls }, judge);
        const ok = checks.every((x) => x.passed);
        ok ? passed++ : failed++;
        await saveResult(deps.db, {
          tenantId: job.tenantId,
          runId: job.runId,
          caseId: c.id,
          caseName: c.name,
          status: ok ? "passed" : "failed",
          transcript: talk.transcript,
          checks,
        });
      } catch (err) {
        failed++;
        await saveResult(deps.db, {
          tenantId: job.tenantId,
          runId: job.runId,
          caseId: c.id,
          caseName: c.name,
          status: "error",
          transcript: [],
          checks: [],
          error: (err as Error).message,
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.concurrency ?? 4, Math.max(1, cases.length)) }, worker));
  await finishRun(deps.db, { ...job, passed, failed, status: failed ? "failed" : "passed" });
  return { cases: cases.length, passed, failed };
}
