import { z } from "@hono/zod-openapi";
import type { AgentTool } from "../../core/agent-tools";
import { type agentTool, type languages, type models, agentSettings as settings } from "../../core/agents/agent-input";
import type { TurnTaking } from "../../core/agents/turn-taking";
import type { AnalysisPlan } from "../../core/analysis/plan";
import { type AnsweredBy, answeredByValues } from "../../core/answered-by";
import { widgetSnippet } from "../../core/widget";
import { widgetSettings } from "../../core/widget-input";
import type { CallAnalysis } from "../../db/queries/call-analyses";
import { publicAppearance, type Widget } from "../../db/queries/widgets";
import { maskToolHeaders } from "../../db/tool-headers";

export const IdParam = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, example: "0b6f3c4e-6a8e-4c3e-9d0a-2a8c1f0e7b11" }),
});

/** The agent's settings (core/agents/agent-input), described for the OpenAPI document. `.meta`, not `.openapi`: core's schemas may be made before this module extends zod. */
const agentSettings = {
  ...settings,
  knowledgeBaseIds: settings.knowledgeBaseIds.meta({ description: "Knowledge bases the agent answers from" }),
  retrievalMode: settings.retrievalMode.meta({
    description: "`auto`: relevant passages are added before each reply; `tool`: the model searches when it decides to",
  }),
  analysisPlan: settings.analysisPlan.meta({
    description:
      "Post-call analysis: an optional summary instruction, a JSON schema of fields to extract (type object; string, number, integer or boolean fields) and a success rubric",
  }),
  turnTaking: settings.turnTaking.meta({
    description:
      "Turn-taking overrides, each optional (unset: the default). minSpeechMs (200): caller speech before the agent pauses; minWords (1): words outside the backchannel list that make it an interruption; resumeAfterQuietMs (600) and maxPauseMs (2500): when a pause without such words resumes; echoMargin (0.5): caller sound under this share of the agent's own audio is its echo (0: off); endpointingExtraMs (1000): extra wait when the caller stops mid-thought; fillerAfterMs (1500): a slow tool's filler line (0: off)",
  }),
};

export const AgentSchema = z
  .object({ id: z.uuid(), ...agentSettings, version: z.number().int(), createdAt: z.string() })
  .openapi("Agent");

export const AgentInputSchema = z
  .object({
    ...agentSettings,
    firstMessage: agentSettings.firstMessage.default(""),
    voice: agentSettings.voice.default("sandbox-alloy"),
    model: agentSettings.model.default("gpt-4o-mini"),
  })
  .partial({
    mode: true,
    language: true,
    temperature: true,
    interruptionSensitivity: true,
    maxDurationSeconds: true,
    silenceTimeoutSeconds: true,
    endCallPhrases: true,
    tools: true,
    recordCalls: true,
    recordingDisclosure: true,
    analysisPlan: true,
    knowledgeBaseIds: true,
    retrievalMode: true,
    turnTaking: true,
  })
  .openapi("AgentInput");

const answeredBy = z.enum(answeredByValues).nullable().openapi({
  description:
    "Outbound calls: who or what answered: `human`, `voicemail` (an answering machine), `screening` (a call-screening assistant such as Google Call Screen or iOS's Ask Reason for Calling), `fax`, or `unknown` (detection could not tell); null when nothing was detected (inbound and web calls, detection off)",
});

export const CallSummarySchema = z
  .object({
    id: z.uuid(),
    direction: z.enum(["inbound", "outbound", "web"]),
    status: z.string(),
    from: z.string().nullable(),
    agentName: z.string().nullable(),
    durationSeconds: z.number().int().nullable(),
    costMicros: z.string().nullable(),
    success: z
      .boolean()
      .nullable()
      .optional()
      .openapi({ description: "The analysis' verdict against the agent's rubric" }),
    answeredBy: answeredBy.optional(),
    createdAt: z.string(),
  })
  .openapi("CallSummary");

export const CallAnalysisSchema = z
  .object({
    status: z.enum(["completed", "failed"]),
    summary: z.string().nullable(),
    data: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: "The agent's structured-data fields, as its schema names them" }),
    success: z
      .boolean()
      .nullable()
      .openapi({ description: "Whether the call met the agent's rubric; null without a rubric" }),
    successReason: z.string().nullable(),
    error: z.string().nullable(),
    sandbox: z
      .boolean()
      .openapi({ description: "Made without a model (no OpenAI key): a placeholder, not an analysis" }),
  })
  .openapi("CallAnalysis");

export const CallSchema = CallSummarySchema.extend({
  to: z.string().nullable(),
  endReason: z.string().nullable(),
  answeredBy,
  agentVersion: z.number().int().nullable(),
  analysis: CallAnalysisSchema.nullable().openapi({
    description: "Post-call analysis; null until it has run (shortly after the call ends)",
  }),
  transcript: z.array(
    z.object({ seq: z.number().int(), speaker: z.string(), text: z.string(), offsetMs: z.number().int() }),
  ),
}).openapi("Call");

type CallRow = {
  id: string;
  direction: "inbound" | "outbound" | "web";
  status: string;
  fromNumber: string | null;
  toNumber: string | null;
  agentName: string | null;
  agentVersion: number | null;
  durationSeconds: number | null;
  costMicros: bigint | null;
  endReason: string | null;
  answeredBy: AnsweredBy | null;
  createdAt: Date;
  turns: { seq: number; speaker: string; text: string; offsetMs: number }[];
  analysis: CallAnalysis;
};
/** A call as the API and the webhooks show it. */
export const callJson = (call: CallRow) => ({
  id: call.id,
  direction: call.direction,
  status: call.status,
  from: call.fromNumber,
  to: call.toNumber,
  agentName: call.agentName,
  durationSeconds: call.durationSeconds,
  costMicros: call.costMicros?.toString() ?? null,
  success: call.analysis?.success ?? null,
  endReason: call.endReason,
  answeredBy: call.answeredBy,
  createdAt: call.createdAt.toISOString(),
  agentVersion: call.agentVersion,
  analysis: call.analysis && {
    status: call.analysis.status,
    summary: call.analysis.summary,
    data: call.analysis.data,
    success: call.analysis.success,
    successReason: call.analysis.successReason,
    error: call.analysis.error,
    sandbox: call.analysis.sandbox,
  },
  transcript: call.turns.map((t) => ({ seq: t.seq, speaker: t.speaker, text: t.text, offsetMs: t.offsetMs })),
});

type AgentRow = {
  id: string;
  name: string;
  systemPrompt: string;
  firstMessage: string;
  voice: string;
  model: string;
  mode: "cascade" | "speech_to_speech";
  language: string;
  temperature: string;
  interruptionSensitivity: string;
  maxDurationSeconds: number;
  silenceTimeoutSeconds: number;
  endCallPhrases: string[];
  tools: AgentTool[];
  recordCalls: boolean;
  recordingDisclosure: string | null;
  analysisPlan?: AnalysisPlan;
  knowledgeBaseIds?: string[];
  retrievalMode?: "auto" | "tool";
  turnTaking?: Partial<TurnTaking>;
  version: number;
  createdAt: Date;
};
export const agentJson = (a: AgentRow) => ({
  id: a.id,
  name: a.name,
  systemPrompt: a.systemPrompt,
  firstMessage: a.firstMessage,
  voice: a.voice,
  model: a.model as (typeof models)[number],
  mode: a.mode,
  language: a.language as (typeof languages)[number],
  temperature: Number(a.temperature),
  interruptionSensitivity: Number(a.interruptionSensitivity),
  maxDurationSeconds: a.maxDurationSeconds,
  silenceTimeoutSeconds: a.silenceTimeoutSeconds,
  endCallPhrases: a.endCallPhrases,
  tools: maskToolHeaders(a.tools) as z.infer<typeof agentTool>[],
  recordCalls: a.recordCalls,
  recordingDisclosure: a.recordingDisclosure,
  analysisPlan: a.analysisPlan ?? {},
  knowledgeBaseIds: a.knowledgeBaseIds ?? [],
  retrievalMode: a.retrievalMode ?? "auto",
  turnTaking: a.turnTaking ?? {},
  version: a.version,
  createdAt: a.createdAt.toISOString(),
});

export const NumberSchema = z
  .object({
    id: z.uuid(),
    e164: z.string(),
    friendlyName: z.string().nullable(),
    agentId: z.uuid().nullable(),
    configDrift: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("PhoneNumber");

export const numberJson = (n: {
  id: string;
  e164: string;
  friendlyName: string | null;
  agentId: string | null;
  configDrift: string | null;
  createdAt: Date;
}) => ({
  id: n.id,
  e164: n.e164,
  friendlyName: n.friendlyName,
  agentId: n.agentId,
  configDrift: n.configDrift,
  createdAt: n.createdAt.toISOString(),
});

export const CampaignSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    status: z.string(),
    agentId: z.uuid(),
    progress: z.object({
      total: z.number().int(),
      open: z.number().int(),
      byStatus: z.record(z.string(), z.number().int()),
      byAnsweredBy: z.record(z.enum(answeredByValues), z.number().int()).openapi({
        description: "Contacts by how their latest call was answered (human, voicemail, screening, fax, unknown)",
      }),
    }),
    createdAt: z.string(),
  })
  .openapi("Campaign");

const noAnswers = () => Object.fromEntries(answeredByValues.map((v) => [v, 0])) as Record<AnsweredBy, number>;

export const campaignJson = (c: {
  id: string;
  name: string;
  status: string;
  agentId: string;
  createdAt: Date;
  progress: {
    total: number;
    open: number;
    by: Record<string, number | undefined>;
    answeredBy?: Record<AnsweredBy, number>;
  };
}) => ({
  id: c.id,
  name: c.name,
  status: c.status,
  agentId: c.agentId,
  progress: {
    total: c.progress.total,
    open: c.progress.open,
    byStatus: Object.fromEntries(Object.entries(c.progress.by).map(([k, v]) => [k, v ?? 0])),
    byAnsweredBy: c.progress.answeredBy ?? noAnswers(),
  },
  createdAt: c.createdAt.toISOString(),
});

export const AgentUpdateSchema = z
  .object({
    ...agentSettings,
    /** The version you read; a stale one is a 409, so two editors never overwrite each other unknowingly. */
    version: z.number().int().min(1),
  })
  .partial()
  .openapi("AgentUpdate");

export const WebhookEndpointSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    events: z.array(z.string()),
    enabled: z.boolean(),
    disabledReason: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("WebhookEndpoint");
export const webhookEndpointJson = (e: {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  createdAt: Date;
}) => ({
  id: e.id,
  url: e.url,
  events: e.events,
  enabled: e.enabled,
  disabledReason: e.disabledReason,
  createdAt: e.createdAt.toISOString(),
});
export const WebhookDeliverySchema = z
  .object({
    id: z.uuid(),
    eventId: z.string(),
    eventType: z.string(),
    status: z.enum(["pending", "delivered", "failed", "dead"]),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    lastAttemptAt: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("WebhookDelivery");
const iso = (d: Date | null) => d?.toISOString() ?? null;
export const webhookDeliveryJson = (d: {
  id: string;
  eventId: string;
  eventType: string;
  status: "pending" | "delivered" | "failed" | "dead";
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
}) => ({
  id: d.id,
  eventId: d.eventId,
  eventType: d.eventType,
  status: d.status,
  attempts: d.attempts,
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  lastAttemptAt: iso(d.lastAttemptAt),
  nextAttemptAt: iso(d.nextAttemptAt),
  createdAt: d.createdAt.toISOString(),
});

export const WidgetInputSchema = z
  .object({
    ...widgetSettings,
    allowedOrigins: widgetSettings.allowedOrigins.meta({
      example: ["https://www.example.com", "https://*.example.com"],
    }),
  })
  .openapi("WidgetInput");
export const WidgetSchema = WidgetInputSchema.extend({
  agentId: z.uuid(),
  publishableKey: z.string(),
  snippet: z.string(),
}).openapi("Widget");
export const widgetJson = (w: Widget, edgeUrl: string) => ({
  agentId: w.agentId,
  publishableKey: w.publishableKey,
  allowedOrigins: w.allowedOrigins,
  ...publicAppearance(w),
  maxConcurrentSessions: w.maxConcurrentSessions,
  maxSessionSeconds: w.maxSessionSeconds,
  callsPerVisitorPerHour: w.callsPerVisitorPerHour,
  snippet: widgetSnippet(edgeUrl, w.publishableKey),
});

export const MemberSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    email: z.string(),
    role: z.enum(["owner", "admin", "member", "viewer"]),
    createdAt: z.string(),
  })
  .openapi("Member");
