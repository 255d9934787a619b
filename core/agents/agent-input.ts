import { z } from "zod";
import { type AnalysisPlan, dataSchemaProblem } from "../analysis/plan";
import { agentLimits, languages, models, modes } from "./agent-limits";
import { turnTaking } from "./turn-taking";

export { agentLimits, languages, models, modes, sandboxVoices } from "./agent-limits";

const L = agentLimits;

const e164 = /^\+[1-9]\d{6,14}$/;
export const httpTool = z.object({
  type: z.literal("http"),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "tool names are letters, digits, _ and -"),
  description: z.string().min(1).max(L.toolDescription),
  parameters: z.record(z.string(), z.unknown()),
  url: z.url().refine((u) => /^https?:\/\//.test(u), "tool URLs must be http(s)"),
  method: z.enum(["GET", "POST"]),
  headers: z.record(z.string(), z.string()).optional(),
  timeoutMs: z.number().int().min(L.toolTimeoutMs.min).max(L.toolTimeoutMs.max).optional(),
});

/** A tool: the built-ins by type, or an HTTP tool. */
export const agentTool = z.discriminatedUnion("type", [
  z.object({ type: z.literal("end_call") }),
  z.object({ type: z.literal("send_dtmf") }),
  z.object({
    type: z.literal("transfer_call"),
    number: z.string().regex(e164, "Use E.164, like +14155550100"),
    mode: z.enum(["cold", "warm"]).default("cold"),
    description: z.string().max(L.transferDescription).optional(),
  }),
  httpTool,
]);

/** What post-call analysis produces: an optional summary instruction, fields to extract, a rubric. */
export const analysisPlan = z
  .object({
    summaryPrompt: z.string().trim().max(L.analysisText).optional(),
    dataSchema: z
      .record(z.string(), z.unknown())
      .optional()
      .superRefine((schema, ctx) => {
        const problem = schema === undefined ? null : dataSchemaProblem(schema);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    successRubric: z.string().trim().max(L.analysisText).optional(),
  })
  .transform(
    (p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined && v !== "")) as AnalysisPlan,
  );

/**
 * Everything an agent can be set to, with its limits: the API's bodies are built from these
 * fields, and the portal's form maps its fields onto them (app/utils/agent-form).
 */
export const agentSettings = {
  name: z.string().trim().min(1).max(L.name),
  systemPrompt: z.string().trim().min(1).max(L.systemPrompt),
  firstMessage: z.string().trim().max(L.firstMessage),
  voice: z
    .string()
    .trim()
    .regex(/^[\w-]{1,64}$/),
  model: z.enum(models),
  mode: z.enum(modes),
  language: z.enum(languages),
  temperature: z.number().min(L.temperature.min).max(L.temperature.max),
  interruptionSensitivity: z.number().min(L.interruptionSensitivity.min).max(L.interruptionSensitivity.max),
  maxDurationSeconds: z.number().int().min(L.maxDurationSeconds.min).max(L.maxDurationSeconds.max),
  silenceTimeoutSeconds: z.number().int().min(L.silenceTimeoutSeconds.min).max(L.silenceTimeoutSeconds.max),
  endCallPhrases: z.array(z.string().trim().min(1).max(L.endCallPhrase)).max(L.endCallPhrases),
  tools: z.array(agentTool).max(L.tools),
  recordCalls: z.boolean(),
  recordingDisclosure: z.string().trim().max(L.recordingDisclosure).nullable(),
  knowledgeBaseIds: z.array(z.uuid()).max(L.knowledgeBases),
  retrievalMode: z.enum(["auto", "tool"]),
  analysisPlan,
  turnTaking,
};

/** An agent's settings, every one given. */
export const agentInput = z.object(agentSettings);
export type AgentInput = z.output<typeof agentInput>;

/** Settings as columns: the two numerics stored with two decimals. */
export const agentColumns = <T extends { temperature?: number; interruptionSensitivity?: number }>({
  temperature,
  interruptionSensitivity,
  ...rest
}: T) => ({
  ...rest,
  ...(temperature === undefined ? {} : { temperature: temperature.toFixed(2) }),
  ...(interruptionSensitivity === undefined ? {} : { interruptionSensitivity: interruptionSensitivity.toFixed(2) }),
});
