import { z } from "zod";
import type { AgentTool } from "../../core/agent-tools";
import { agentColumns, agentInput, agentLimits, httpTool } from "../../core/agents/agent-input";
import { turnTakingLimits } from "../../core/agents/turn-taking";
import { checkAs, checkFields, type FormWording, listLines, numberField } from "./forms";

/** A JSON textarea: empty is `empty`, text that is not JSON is refused in the form's words. */
const jsonText = <T>(notJson: string, empty: T) =>
  z.string().transform((text, ctx): unknown => {
    if (!text.trim()) return empty;
    try {
      return JSON.parse(text);
    } catch {
      ctx.addIssue({ code: "custom", message: notJson });
      return z.NEVER;
    }
  });

/** The HTTP tools textarea: a JSON array of HTTP tools, the first problem named with the tool's index. */
const httpTools = jsonText("HTTP tools must be a JSON array", []).transform((parsed, ctx) => {
  const tools = z.array(httpTool).safeParse(parsed);
  if (tools.success) return tools.data;
  const issue = tools.error.issues[0]!;
  ctx.addIssue({
    code: "custom",
    message: Array.isArray(parsed)
      ? `Tool ${issue.path.join(".")}: ${issue.message}`
      : "HTTP tools must be a JSON array",
  });
  return z.NEVER;
});

/** The fields only the form has: checkboxes, the transfer pair, and text holding JSON. */
const formOnly = {
  endCallTool: z.literal("on").optional(),
  dtmfTool: z.literal("on").optional(),
  recordCalls: z.literal("on").optional(),
  transferNumber: z.string().trim().default(""),
  transferMode: z.enum(["cold", "warm"]).default("cold"),
  httpTools: httpTools.default([]),
  dataSchema: jsonText("The structured-data schema must be JSON", undefined).prefault(""),
};

/** The portal's words, where they differ from the API's (the limits are the API's: core/agents/agent-input). */
const wording: FormWording = {
  message: ({ code, path }) => {
    const at = path.join(".");
    if (at === "name" && code === "too_small") return "Give the agent a name";
    if (at === "systemPrompt" && code === "too_small") return "The prompt tells the agent what to do";
    if (at === "voice") return "A voice id is letters, digits, _ and -";
    if (at === "model") return "Choose a model";
    if (at === "language") return "Choose a language";
    if (at === "maxDurationSeconds" && code === "too_small")
      return `At least ${agentLimits.maxDurationSeconds.min} seconds`;
    if (at === "endCallPhrases" && code === "too_big") return `At most ${agentLimits.endCallPhrases} end-call phrases`;
    if (path[0] === "endCallPhrases" && code === "too_big")
      return `An end-call phrase is at most ${agentLimits.endCallPhrase} characters`;
    if (at === "tools" && code === "too_big") return `At most ${agentLimits.tools} tools in all`;
    if (path[0] === "knowledgeBaseIds" && path.length > 1) return "Choose among your own knowledge bases.";
    if (at === "analysisPlan.dataSchema" && code === "invalid_type") return "The schema must be a JSON object";
    return undefined;
  },
  // The analysis plan is three fields; a transfer tool's problem is the transfer number's.
  place: ({ path, message }) => ({
    path:
      path[0] === "analysisPlan" || path[0] === "turnTaking"
        ? path.slice(1, 2)
        : path[0] === "tools" && path.length > 1
          ? ["transferNumber"]
          : path.slice(0, 1),
    message,
  }),
};

/** The agent form, mapped onto the agent's settings and checked by the same schema as the API's. */
export const agentSchema = z.record(z.string(), z.unknown()).transform((form, ctx) => {
  const own = checkFields(formOnly, form, ctx);
  const tools: AgentTool[] = [
    ...(own.endCallTool === "on" ? [{ type: "end_call" as const }] : []),
    ...(own.dtmfTool === "on" ? [{ type: "send_dtmf" as const }] : []),
    ...(own.transferNumber
      ? [{ type: "transfer_call" as const, number: own.transferNumber, mode: own.transferMode ?? "cold" }]
      : []),
    ...(own.httpTools ?? []),
  ];
  const input = {
    name: form.name,
    systemPrompt: form.systemPrompt,
    /** Empty: the agent waits for the caller to speak first. */
    firstMessage: form.firstMessage ?? "",
    voice: form.voice,
    model: form.model,
    mode: form.mode ?? "cascade",
    language: form.language ?? "en",
    temperature: numberField(form.temperature, 0.7),
    interruptionSensitivity: numberField(form.interruptionSensitivity, 0.5),
    maxDurationSeconds: numberField(form.maxDurationSeconds, 1800),
    silenceTimeoutSeconds: numberField(form.silenceTimeoutSeconds, 20),
    endCallPhrases: listLines(form.endCallPhrases ?? ""),
    tools,
    recordCalls: own.recordCalls === "on",
    recordingDisclosure: form.recordingDisclosure ?? "",
    knowledgeBaseIds: form.knowledgeBaseIds ?? [],
    retrievalMode: form.retrievalMode ?? "auto",
    turnTaking: Object.fromEntries(
      Object.keys(turnTakingLimits)
        .filter((k) => typeof form[k] === "string" && (form[k] as string).trim() !== "")
        .map((k) => [k, Number(form[k])]),
    ),
    analysisPlan: {
      summaryPrompt: form.summaryPrompt ?? "",
      dataSchema: own.dataSchema,
      successRubric: form.successRubric ?? "",
    },
  };
  const agent = checkAs(agentInput, input, ctx, wording);
  return agent ? agentColumns({ ...agent, recordingDisclosure: agent.recordingDisclosure || null }) : z.NEVER;
});

export const agentEditSchema = z.intersection(agentSchema, z.object({ version: z.coerce.number().int().min(1) }));
