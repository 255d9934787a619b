import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { CheckResult, TranscriptLine } from "../../core/testing/expectations";
import type { TestCase } from "../../core/testing/test-case";
import { follow } from "../pipeline";
import { agents, agentVersions, calls, callTurns, testResults, testRuns, testSuites } from "../schema";
import { type Db, withTenant } from "../tenant";

type Tenant = { tenantId: string };
export type TestRunJob = { tenantId: string; runId: string };

export function listSuites(db: Db, { tenantId }: Tenant) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: testSuites.id,
        name: testSuites.name,
        agentId: testSuites.agentId,
        agentName: agents.name,
        cases: sql<number>`jsonb_array_length(${testSuites.cases})::int`,
      })
      .from(testSuites)
      .innerJoin(agents, eq(agents.id, testSuites.agentId))
      .where(eq(testSuites.tenantId, tenantId))
      .orderBy(desc(testSuites.createdAt)),
  );
}

export async function getSuite(db: Db, { tenantId, id }: Tenant & { id: string }) {
  const [suite] = await withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(testSuites)
      .where(and(eq(testSuites.id, id), eq(testSuites.tenantId, tenantId))),
  );
  return suite ?? null;
}

/** A new suite for one of the tenant's agents; null if the agent is not theirs. */
export function createSuite(
  db: Db,
  { tenantId, agentId, name, cases = [] }: Tenant & { agentId: string; name: string; cases?: TestCase[] },
) {
  return withTenant(db, tenantId, async (tx) => {
    const [agent] = await tx
      .select({ id: agents.id })
      .from(agents)
      .where(and(eq(agents.id, agentId), eq(agents.tenantId, tenantId)));
    if (!agent) return null;
    const [suite] = await tx.insert(testSuites).values({ tenantId, agentId, name, cases }).returning();
    return suite!;
  });
}

export async function setSuiteCases(db: Db, { tenantId, id, cases }: Tenant & { id: string; cases: TestCase[] }) {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .update(testSuites)
      .set({ cases })
      .where(and(eq(testSuites.id, id), eq(testSuites.tenantId, tenantId)))
      .returning({ id: testSuites.id }),
  );
  return rows.length > 0;
}

/**
 * Queues a run of a suite (or a replay of a call's caller turns) against a version of the agent;
 * the current version when none is named. Null: no such suite, call or version for this tenant.
 */
export function createRun(
  db: Db,
  {
    tenantId,
    agentId,
    suiteId,
    replayOfCallId,
    version,
  }: Tenant & { agentId: string; suiteId?: string; replayOfCallId?: string; version?: number },
) {
  return withTenant(db, tenantId, async (tx) => {
    const [agent] = await tx
      .select({ version: agents.version })
      .from(agents)
      .where(and(eq(agents.id, agentId), eq(agents.tenantId, tenantId)));
    if (!agent) return null;
    const agentVersion = version ?? agent.version;
    const [exists] = await tx
      .select({ id: agentVersions.id })
      .from(agentVersions)
      .where(and(eq(agentVersions.agentId, agentId), eq(agentVersions.version, agentVersion)));
    if (!exists) return null;
    if (
      suiteId &&
      !(
        await tx
          .select({ id: testSuites.id })
          .from(testSuites)
          .where(and(eq(testSuites.id, suiteId), eq(testSuites.tenantId, tenantId), eq(testSuites.agentId, agentId)))
      ).length
    )
      return null;
    if (
      replayOfCallId &&
      !(
        await tx
          .select({ id: calls.id })
          .from(calls)
          .where(and(eq(calls.id, replayOfCallId), eq(calls.tenantId, tenantId)))
      ).length
    )
      return null;
    const [run] = await tx
      .insert(testRuns)
      .values({ tenantId, agentId, suiteId, replayOfCallId, agentVersion })
      .returning();
    await follow(tx, "testRunStarted", { tenantId, runId: run!.id });
    return run!;
  });
}

export function listRuns(db: Db, { tenantId, suiteId }: Tenant & { suiteId: string }) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(testRuns)
      .where(and(eq(testRuns.tenantId, tenantId), eq(testRuns.suiteId, suiteId)))
      .orderBy(desc(testRuns.createdAt))
      .limit(20),
  );
}

export function getRun(db: Db, { tenantId, id }: Tenant & { id: string }) {
  return withTenant(db, tenantId, async (tx) => {
    const [run] = await tx
      .select()
      .from(testRuns)
      .where(and(eq(testRuns.id, id), eq(testRuns.tenantId, tenantId)));
    if (!run) return null;
    const results = await tx
      .select()
      .from(testResults)
      .where(and(eq(testResults.runId, id), eq(testResults.tenantId, tenantId)))
      .orderBy(asc(testResults.caseName));
    return { ...run, results };
  });
}

/** Claims a queued run and returns what it needs (null: not queued, or gone): its cases (a replay's one case is the call's caller turns) and the version's settings. */
export function runInputs(db: Db, { tenantId, runId }: TestRunJob) {
  return withTenant(db, tenantId, async (tx) => {
    // One worker claims a run; another (a duplicate delivery) finds it taken. A run stuck "running"
    // past the job's expiry (its worker died) may be claimed again.
    const claimable = sql`(${testRuns.status} = 'queued' or (${testRuns.status} = 'running' and ${testRuns.createdAt} < now() - interval '15 minutes'))`;
    const [run] = await tx
      .update(testRuns)
      .set({ status: "running" })
      .where(and(eq(testRuns.id, runId), eq(testRuns.tenantId, tenantId), claimable))
      .returning();
    if (!run) return null;
    await tx.delete(testResults).where(eq(testResults.runId, runId)); // a retried job starts over
    const [version] = await tx
      .select({ settings: agentVersions.settings })
      .from(agentVersions)
      .where(and(eq(agentVersions.agentId, run.agentId), eq(agentVersions.version, run.agentVersion)));
    let cases: TestCase[] = [];
    if (run.suiteId)
      cases =
        (await tx.select({ cases: testSuites.cases }).from(testSuites).where(eq(testSuites.id, run.suiteId)))[0]
          ?.cases ?? [];
    if (run.replayOfCallId) {
      const said = await tx
        .select({ text: callTurns.text })
        .from(callTurns)
        .where(and(eq(callTurns.callId, run.replayOfCallId), eq(callTurns.speaker, "caller")))
        .orderBy(asc(callTurns.seq));
      cases = [
        {
          id: "replay",
          name: "Replay",
          caller: { kind: "scripted", turns: said.map((s) => s.text) },
          expectations: [],
        },
      ];
    }
    return { run, settings: (version?.settings ?? null) as Record<string, unknown> | null, cases };
  });
}

export async function saveResult(
  db: Db,
  r: Tenant & {
    runId: string;
    caseId: string;
    caseName: string;
    status: "passed" | "failed" | "error";
    transcript: TranscriptLine[];
    checks: CheckResult[];
    error?: string;
  },
) {
  await withTenant(db, r.tenantId, (tx) => tx.insert(testResults).values(r));
}

export async function finishRun(
  db: Db,
  {
    tenantId,
    runId,
    passed,
    failed,
    status,
  }: TestRunJob & { passed: number; failed: number; status: "passed" | "failed" | "error" },
) {
  await withTenant(db, tenantId, (tx) =>
    tx
      .update(testRuns)
      .set({ status, passed, failed, finishedAt: sql`now()` })
      .where(and(eq(testRuns.id, runId), eq(testRuns.tenantId, tenantId))),
  );
}
