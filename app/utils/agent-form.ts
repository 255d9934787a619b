import { z } from "zod";
import { dataSchemaProblem } from "../../core/analysis/plan";
import type { AgentTool } from "../../core/agent-tools";
import type { AnalysisPlan } from "../../core/analysis/plan";

export const sandboxVoices = ["sandbox-alloy", "sandbox-verse"] as const;
export const models = ["gpt-4o-mini", "gpt-4.1", "gpt-realtime"] as const;
export const modes = ["cascade", "speech_to_speech"] as const;
export const languages = ["en", "en-US", "en-GB", "es", "fr", "de", "it", "pt", "nl", "hi", "ja"] as const;

const e164 = /^\+[1-9]\d{6,14}$/;
export const httpTool = z.object({
  type: z.literal("http"),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "tool names are letters, digits, _ and -"),
  description: z.string().min(1).max(1000),
  parameters: z.record(z.string(), z.unknown()),
  url: z.url().refine((u) => /^https?:\/\//.test(u), "tool URLs must be http(s)"),
  method: z.enum(["GET", "POST"]),
  headers: z.record(z.string(), z.string()).optional(),
  timeoutMs: z.number().int().min(100).max(20_000).optional(),
});

/** A tool as the API takes it: the built-ins by type, or an HTTP tool. */
export const agentTool = z.discriminatedUnion("type", [
  z.object({ type: z.literal("end_call") }),
  z.object({ type: z.literal("send_dtmf") }),
  z.object({ type: z.literal("transfer_call"), number: z.string().regex(e164, "Use E.164, like +14155550100"), mode: z.enum(["cold", "warm"]).default("cold"), description: z.string().max(500).optional() }),
  httpTool,
]);

/** What post-call analysis produces; the API takes it as an object, the portal as three fields. */
export const analysisPlan = z
  .object({
    summaryPrompt: z.string().trim().max(2000).optional(),
    dataSchema: z.record(z.string(), z.unknown()).optional().superRefine((schema, ctx) => {
      const problem = schema === undefined ? null : dataSchemaProblem(schema);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
    successRubric: z.string().trim().max(2000).optional(),
  })
  .transform((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined && v !== "")) as AnalysisPlan);

/** The structured-data textarea: a JSON schema, checked, with its first problem named. */
const dataSchemaText = z.string().transform((text, ctx) => {
  if (!text.trim()) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: "custom", message: "The structured-data schema must be JSON" });
    return z.NEVER;
  }
  const problem = dataSchemaProblem(parsed);
  if (problem) {
    ctx.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  }
  return parsed as Record<string, unknown>;
});

/** The HTTP tools textarea: a JSON array, each entry checked, with the first problem named. */
const httpTools = z.string().transform((text, ctx) => {
  if (!text.trim()) return [];
  try {
    const parsed = z.array(httpTool).safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    ctx.addIssue({ code: "custom", message: `Tool ${issue.path.join(".")}: ${issue.message}` });
  } catch {
    ctx.addIssue({ code: "custom", message: "HTTP tools must be a JSON array" });
  }
  return z.NEVER;
});

export const agentSchema = z
  .object({
    name: z.string().trim().min(1, "Give the agent a name").max(80),
    systemPrompt: z.string().trim().min(1, "The prompt tells the agent what to do").max(20_000),
    /** Empty: the agent waits for the caller to speak first. */
    firstMessage: z.string().trim().max(500).default(""),
    voice: z.string().trim().regex(/^[\w-]{1,64}$/, "A voice id is letters, digits, _ and -"),
    model: z.enum(models, "Choose a model"),
    mode: z.enum(modes).default("cascade"),
    language: z.enum(languages, "Choose a language").default("en"),
    temperature: z.coerce.number().min(0).max(2).default(0.7),
    interruptionSensitivity: z.coerce.number().min(0).max(1).default(0.5),
    maxDurationSeconds: z.coerce.number().int().min(30, "At least 30 seconds").max(14_400).default(1800),
    silenceTimeoutSeconds: z.coerce.number().int().min(0).max(600).default(20),
    endCallPhrases: z.string().max(2000).default(""),
    endCallTool: z.literal("on").optional(),
    dtmfTool: z.literal("on").optional(),
    transferNumber: z.string().trim().regex(e164, "Use E.164, like +14155550100").or(z.literal("")).default(""),
    transferMode: z.enum(["cold", "warm"]).default("cold"),
    recordCalls: z.literal("on").optional(),
    recordingDisclosure: z.string().trim().max(300).default(""),
    httpTools: httpTools.default([]),
    knowledgeBaseIds: z.array(z.uuid("Choose among your own knowledge bases.")).max(10).default([]),
    retrievalMode: z.enum(["auto", "tool"]).default("auto"),
    summaryPrompt: z.string().trim().max(2000).default(""),
    dataSchema: dataSchemaText.prefault(""),
    successRubric: z.string().trim().max(2000).default(""),
  })
  .transform(({ summaryPrompt, dataSchema, successRubric, endCallTool, dtmfTool, transferNumber, transferMode, recordCalls, recordingDisclosure, httpTools: http, endCallPhrases, temperature, interruptionSensitivity, ...rest }) => {
    const tools: AgentTool[] = [...(endCallTool ? [{ type: "end_call" as const }] : []), ...(dtmfTool ? [{ type: "send_dtmf" as const }] : []), ...(transferNumber ? [{ type: "transfer_call" as const, number: transferNumber, mode: transferMode }] : []), ...http];
    return {
      ...rest,
      recordCalls: Boolean(recordCalls),
      recordingDisclosure: recordingDisclosure || null,
      temperature: temperature.toFixed(2),
      interruptionSensitivity: interruptionSensitivity.toFixed(2),
      endCallPhrases: endCallPhrases.split(/[\n,]/).map((p) => p.trim()).filter(Boolean),
      tools,
      analysisPlan: {
        ...(summaryPrompt ? { summaryPrompt } : {}),
        ...(dataSchema ? { dataSchema } : {}),
        ...(successRubric ? { successRubric } : {}),
      } as AnalysisPlan,
    };
  });

export const agentEditSchema = z.intersection(agentSchema, z.object({ version: z.coerce.number().int().min(1) }));
