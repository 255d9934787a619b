import type { PiiCipher } from "../../core/crypto/pii";
import { analysisPlanForCall, saveCallAnalysis } from "../../db/queries/call-analyses";
import { getCall } from "../../db/queries/calls";
import type { CallEndedJob } from "../../db/queue";
import type { Db } from "../../db/tenant";
import type { Analyst } from "./analyst.server";

export type AnalysisDeps = { db: Db; pii: PiiCipher; analystFor: (tenantId: string) => Promise<Analyst> };

/**
 * The post-call analysis of an ended, billed call: summary, the agent's structured data and its
 * success evaluation, then `call.ended` to the tenant's webhooks. A model failure throws, so the
 * queue retries with backoff; out of retries, `failCallAnalysis` records why and the webhook still goes.
 */
export async function analyzeCall(deps: AnalysisDeps, { tenantId, callId }: CallEndedJob) {
  const call = await getCall(deps.db, deps.pii, { tenantId, id: callId });
  if (!call) return { analyzed: false, reason: "no such call" };
  if (call.analysis) return { analyzed: false, reason: "already analysed" };
  const transcript = call.turns.filter((t) => t.speaker !== "tool").map((t) => ({ speaker: t.speaker, text: t.text }));
  if (!transcript.some((t) => t.speaker === "caller")) {
    // Nothing was said to analyse: no model is asked, and nothing is invented.
    await saveCallAnalysis(deps.db, deps.pii, {
      tenantId,
      callId,
      status: "completed",
      summary: "The caller did not speak.",
      success: null,
    });
    return { analyzed: true, reason: "caller silent" };
  }
  const plan = await analysisPlanForCall(deps.db, { tenantId, callId });
  const result = await (await deps.analystFor(tenantId)).analyze(plan, transcript);
  await saveCallAnalysis(deps.db, deps.pii, { tenantId, callId, status: "completed", ...result });
  return { analyzed: true, model: result.model };
}

/** The analysis could not be made after every retry: the call page and the webhook say so. */
export async function failCallAnalysis(deps: AnalysisDeps, { tenantId, callId }: CallEndedJob) {
  await saveCallAnalysis(deps.db, deps.pii, {
    tenantId,
    callId,
    status: "failed",
    error: "The analysis could not be made after repeated tries (the model failed or answered in the wrong shape).",
  });
}
