import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { CheckResult, TranscriptLine } from "../../core/testing/expectations";
import type { TestCase } from "../../core/testing/test-case";
import { createdAt, ownerTenantId as tenantId } from "./columns";
import { tenantPolicy } from "./rls";
import { agents, calls } from "./voice";

export const testSuites = pgTable(
  "test_suites",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    cases: jsonb("cases").$type<TestCase[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [index("test_suites_tenant_idx").on(t.tenantId, t.createdAt.desc().nullsFirst()), tenantPolicy(t.tenantId)],
);

/** One run of a suite (or a replay of a call) against one agent version. */
export const testRuns = pgTable(
  "test_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    suiteId: uuid("suite_id").references(() => testSuites.id, { onDelete: "cascade" }),
    replayOfCallId: uuid("replay_of_call_id").references(() => calls.id, { onDelete: "restrict" }),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    agentVersion: integer("agent_version").notNull(),
    status: text("status", { enum: ["queued", "running", "passed", "failed", "error"] })
      .notNull()
      .default("queued"),
    passed: integer("passed").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("test_runs_tenant_idx").on(t.tenantId, t.suiteId, t.createdAt.desc().nullsFirst()),
    tenantPolicy(t.tenantId),
  ],
);

export const testResults = pgTable(
  "test_results",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    runId: uuid("run_id")
      .notNull()
      .references(() => testRuns.id, { onDelete: "cascade" }),
    caseId: text("case_id").notNull(),
    caseName: text("case_name").notNull(),
    status: text("status", { enum: ["passed", "failed", "error"] }).notNull(),
    transcript: jsonb("transcript").$type<TranscriptLine[]>().notNull(),
    checks: jsonb("checks").$type<CheckResult[]>().notNull(),
    error: text("error"),
    createdAt: createdAt(),
  },
  (t) => [index("test_results_run_idx").on(t.tenantId, t.runId), tenantPolicy(t.tenantId)],
);
