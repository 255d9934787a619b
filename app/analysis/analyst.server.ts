import OpenAI from "openai";
import type { AnalysisPlan } from "../../core/analysis/plan";
import {
  type AnalysisOutcome,
  analysisMessages,
  parseAnalysis,
  responseSchema,
  type Transcript,
} from "../../core/analysis/plan";
import type { OpenAiKeyFor } from "../../core/openai-key";

export type Analysis = AnalysisOutcome & { model: string; sandbox: boolean };
/** Reads a transcript and answers what the agent's analysis plan asks. */
export type Analyst = { analyze(plan: AnalysisPlan, transcript: Transcript): Promise<Analysis> };

/** OpenAI chat completions with a JSON-schema response format, through the official SDK. */
export function openaiAnalyst(opts: { apiKey: string; baseURL?: string; model: string }): Analyst {
  // The job queue retries a failed analysis with backoff; the SDK's own retries would multiply it.
  const client = new OpenAI({ apiKey: opts.apiKey, baseURL: opts.baseURL, timeout: 60_000, maxRetries: 0 });
  return {
    async analyze(plan, transcript) {
      // The SDK's timeout ends at the answer's headers; the signal bounds reading its body too.
      const completion = await client.chat.completions.create(
        {
          model: opts.model,
          temperature: 0,
          max_completion_tokens: 4096,
          messages: analysisMessages(plan, transcript),
          response_format: {
            type: "json_schema",
            json_schema: { name: "call_analysis", schema: responseSchema(plan), strict: false },
          },
        },
        { signal: AbortSignal.timeout(60_000) },
      );
      return {
        ...parseAnalysis(completion.choices[0]?.message.content ?? "", plan),
        model: completion.model || opts.model,
        sandbox: false,
      };
    },
  };
}

/**
 * SANDBOX analysis for `npm run dev` with no OpenAI key, labelled as such: a summary that counts
 * the turns and quotes the caller, no extracted fields, no success verdict.
 */
export const sandboxAnalyst: Analyst = {
  async analyze(plan, transcript) {
    const caller = transcript.filter((t) => t.speaker === "caller");
    const first = caller[0]?.text;
    const fields = Object.keys((plan.dataSchema?.properties ?? {}) as object);
    return {
      summary: `SANDBOX summary (no model configured): ${transcript.length} turns, ${caller.length} from the caller.${first ? ` The caller first said: "${first.slice(0, 200)}"` : ""}`,
      data: fields.length ? Object.fromEntries(fields.map((f) => [f, null])) : null,
      success: null,
      successReason: plan.successRubric?.trim() ? "SANDBOX: success is not evaluated without a model." : null,
      model: "sandbox",
      sandbox: true,
    };
  },
};

/** The analyst for a tenant: OpenAI with the key that serves it, else SANDBOX. */
export const analystSource =
  (config: { OPENAI_BASE_URL?: string; ANALYSIS_MODEL: string }, keyFor: OpenAiKeyFor) =>
  async (tenantId: string): Promise<Analyst> => {
    const apiKey = await keyFor(tenantId);
    return apiKey
      ? openaiAnalyst({ apiKey, baseURL: config.OPENAI_BASE_URL, model: config.ANALYSIS_MODEL })
      : sandboxAnalyst;
  };
