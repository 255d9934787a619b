import { z } from "@hono/zod-openapi";
import type { getRun } from "../../db/queries/test-suites";

export const TestRunSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(["queued", "running", "passed", "failed", "error"]),
    suiteId: z.uuid().nullable(),
    replayOfCallId: z.uuid().nullable(),
    agentId: z.uuid(),
    agentVersion: z.number().int(),
    passed: z.number().int(),
    failed: z.number().int(),
    results: z.array(
      z.object({
        caseId: z.string(),
        caseName: z.string(),
        status: z.enum(["passed", "failed", "error"]),
        error: z.string().nullable(),
        checks: z.array(
          z.object({ expectation: z.record(z.string(), z.unknown()), passed: z.boolean(), detail: z.string() }),
        ),
        transcript: z.array(z.object({ speaker: z.enum(["agent", "caller", "tool"]), text: z.string() })),
      }),
    ),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi("TestRun");

export const VersionBody = z.object({
  version: z
    .number()
    .int()
    .min(1)
    .optional()
    .openapi({ description: "The agent version to run against; the current one if left out" }),
});

type Run = NonNullable<Awaited<ReturnType<typeof getRun>>>;
export const testRunJson = (r: Run) => ({
  id: r.id,
  status: r.status,
  suiteId: r.suiteId,
  replayOfCallId: r.replayOfCallId,
  agentId: r.agentId,
  agentVersion: r.agentVersion,
  passed: r.passed,
  failed: r.failed,
  results: r.results.map((x) => ({
    caseId: x.caseId,
    caseName: x.caseName,
    status: x.status,
    error: x.error,
    checks: x.checks as { expectation: Record<string, unknown>; passed: boolean; detail: string }[],
    transcript: x.transcript,
  })),
  createdAt: r.createdAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
});
