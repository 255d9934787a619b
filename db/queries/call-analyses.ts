import { and, eq } from "drizzle-orm";
import type { AnalysisPlan } from "../../core/analysis/plan";
import type { PiiCipher } from "../../core/crypto/pii";
import { piiField } from "../pii-columns";
import { agents, agentVersions, callAnalyses, calls } from "../schema";
import { type Db, type Tx, withTenant } from "../tenant";
import { queueWebhookEvent } from "./webhook-events";

type Owner = { tenantId: string; callId: string };
export type CallAnalysisInput = Owner & {
  status: "completed" | "failed";
  summary?: string | null;
  data?: Record<string, unknown> | null;
  success?: boolean | null;
  successReason?: string | null;
  error?: string | null;
  model?: string | null;
  sandbox?: boolean;
};

/** The analysis plan of the agent version the call ran (the agent as it is now, for calls from before versions). */
export function analysisPlanForCall(db: Db, { tenantId, callId }: Owner) {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select({ versioned: agentVersions.settings, current: agents.analysisPlan })
      .from(calls)
      .leftJoin(agents, eq(agents.id, calls.agentId))
      .leftJoin(
        agentVersions,
        and(eq(agentVersions.agentId, calls.agentId), eq(agentVersions.version, calls.agentVersion)),
      )
      .where(and(eq(calls.id, callId), eq(calls.tenantId, tenantId)));
    return ((row?.versioned as { analysisPlan?: AnalysisPlan } | null)?.analysisPlan ??
      row?.current ??
      {}) as AnalysisPlan;
  });
}

/**
 * Stores a call's analysis once (a retried job finds it there) and, in the same transaction,
 * queues the `call.ended` webhook, which carries it. False: it was already stored.
 */
export async function saveCallAnalysis(db: Db, pii: PiiCipher, a: CallAnalysisInput) {
  const seal = (v: string | null | undefined, column: "summary" | "data" | "success_reason") =>
    v == null ? null : pii.encrypt(v, piiField(a.tenantId, "call_analyses", column));
  const values = {
    tenantId: a.tenantId,
    callId: a.callId,
    status: a.status,
    summary: await seal(a.summary, "summary"),
    data: await seal(a.data ? JSON.stringify(a.data) : null, "data"),
    success: a.success ?? null,
    successReason: await seal(a.successReason, "success_reason"),
    error: a.error ?? null,
    model: a.model ?? null,
    sandbox: a.sandbox ?? false,
  };
  return withTenant(db, a.tenantId, async (tx) => {
    const [inserted] = await tx
      .insert(callAnalyses)
      .values(values)
      .onConflictDoNothing({ target: callAnalyses.callId })
      .returning({ id: callAnalyses.id });
    if (!inserted) return false;
    await queueWebhookEvent(tx, {
      tenantId: a.tenantId,
      type: "call.ended",
      eventId: `call.ended:${a.callId}`,
      ref: { callId: a.callId },
    });
    return true;
  });
}

export type CallAnalysis = Awaited<ReturnType<typeof openAnalysis>>;

/** A stored analysis row, decrypted. */
export async function openAnalysis(pii: PiiCipher, tenantId: string, row: typeof callAnalyses.$inferSelect | null) {
  if (!row) return null;
  const open = (v: string | null, column: "summary" | "data" | "success_reason") =>
    v ? pii.decrypt(v, piiField(tenantId, "call_analyses", column)) : null;
  const data = await open(row.data, "data");
  return {
    status: row.status,
    summary: await open(row.summary, "summary"),
    data: data ? (JSON.parse(data) as Record<string, unknown>) : null,
    success: row.success,
    successReason: await open(row.successReason, "success_reason"),
    error: row.error,
    model: row.model,
    sandbox: row.sandbox,
    completedAt: row.completedAt,
  };
}

/** A call's analysis, decrypted; null until the job has run. */
export async function readCallAnalysis(tx: Tx, pii: PiiCipher, { tenantId, callId }: Owner) {
  const [row] = await tx
    .select()
    .from(callAnalyses)
    .where(and(eq(callAnalyses.callId, callId), eq(callAnalyses.tenantId, tenantId)));
  return openAnalysis(pii, tenantId, row ?? null);
}
