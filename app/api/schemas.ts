import { z } from "@hono/zod-openapi";

export const IdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" }, example: "0b6f3c4e-6a8e-4c3e-9d0a-2a8c1f0e7b11" }) });

export const AgentSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    systemPrompt: z.string(),
    firstMessage: z.string(),
    voice: z.string(),
    model: z.string(),
    mode: z.enum(["cascade", "speech_to_speech"]),
    language: z.string(),
    maxDurationSeconds: z.number().int(),
    recordCalls: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
  })
  .openapi("Agent");

export const AgentInputSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    systemPrompt: z.string().trim().min(1).max(20_000),
    firstMessage: z.string().trim().max(500).default(""),
    voice: z.string().regex(/^[\w-]{1,64}$/).default("sandbox-alloy"),
    model: z.enum(["gpt-4o-mini", "gpt-4.1", "gpt-realtime"]).default("gpt-4o-mini"),
  })
  .openapi("AgentInput");

export const CallSummarySchema = z
  .object({ id: z.uuid(), direction: z.enum(["inbound", "outbound", "web"]), status: z.string(), from: z.string().nullable(), agentName: z.string().nullable(), durationSeconds: z.number().int().nullable(), costMicros: z.string().nullable(), createdAt: z.string() })
  .openapi("CallSummary");

export const CallSchema = CallSummarySchema.extend({
  to: z.string().nullable(),
  endReason: z.string().nullable(),
  transcript: z.array(z.object({ seq: z.number().int(), speaker: z.string(), text: z.string(), offsetMs: z.number().int() })),
}).openapi("Call");

type CallRow = { id: string; direction: "inbound" | "outbound" | "web"; status: string; fromNumber: string | null; toNumber: string | null; agentName: string | null; durationSeconds: number | null; costMicros: bigint | null; endReason: string | null; createdAt: Date; turns: { seq: number; speaker: string; text: string; offsetMs: number }[] };
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
  endReason: call.endReason,
  createdAt: call.createdAt.toISOString(),
  transcript: call.turns.map((t) => ({ seq: t.seq, speaker: t.speaker, text: t.text, offsetMs: t.offsetMs })),
});

export const agentJson = (a: { id: string; name: string; systemPrompt: string; firstMessage: string; voice: string; model: string; mode: "cascade" | "speech_to_speech"; language: string; maxDurationSeconds: number; recordCalls: boolean; version: number; createdAt: Date }) => ({
  id: a.id,
  name: a.name,
  systemPrompt: a.systemPrompt,
  firstMessage: a.firstMessage,
  voice: a.voice,
  model: a.model,
  mode: a.mode,
  language: a.language,
  maxDurationSeconds: a.maxDurationSeconds,
  recordCalls: a.recordCalls,
  version: a.version,
  createdAt: a.createdAt.toISOString(),
});

export const NumberSchema = z
  .object({ id: z.uuid(), e164: z.string(), friendlyName: z.string().nullable(), agentId: z.uuid().nullable(), configDrift: z.string().nullable(), createdAt: z.string() })
  .openapi("PhoneNumber");

export const numberJson = (n: { id: string; e164: string; friendlyName: string | null; agentId: string | null; configDrift: string | null; createdAt: Date }) => ({
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
    progress: z.object({ total: z.number().int(), open: z.number().int(), byStatus: z.record(z.string(), z.number().int()) }),
    createdAt: z.string(),
  })
  .openapi("Campaign");

export const campaignJson = (c: { id: string; name: string; status: string; agentId: string; createdAt: Date; progress: { total: number; open: number; by: Record<string, number | undefined> } }) => ({
  id: c.id,
  name: c.name,
  status: c.status,
  agentId: c.agentId,
  progress: { total: c.progress.total, open: c.progress.open, byStatus: Object.fromEntries(Object.entries(c.progress.by).map(([k, v]) => [k, v ?? 0])) },
  createdAt: c.createdAt.toISOString(),
});

export const AgentUpdateSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    systemPrompt: z.string().trim().min(1).max(20_000),
    firstMessage: z.string().trim().max(500),
    voice: z.string().regex(/^[\w-]{1,64}$/),
    model: z.enum(["gpt-4o-mini", "gpt-4.1", "gpt-realtime"]),
    maxDurationSeconds: z.number().int().min(30).max(7200),
    recordCalls: z.boolean(),
    /** The version you read; a stale one is a 409, so two editors never overwrite each other unknowingly. */
    version: z.number().int().min(1),
  })
  .partial()
  .openapi("AgentUpdate");

export const WebhookEndpointSchema = z
  .object({ id: z.uuid(), url: z.string(), events: z.array(z.string()), enabled: z.boolean(), disabledReason: z.string().nullable(), createdAt: z.string() })
  .openapi("WebhookEndpoint");
export const webhookEndpointJson = (e: { id: string; url: string; events: string[]; enabled: boolean; disabledReason: string | null; createdAt: Date }) => ({
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
export const webhookDeliveryJson = (d: { id: string; eventId: string; eventType: string; status: "pending" | "delivered" | "failed" | "dead"; attempts: number; lastStatusCode: number | null; lastError: string | null; lastAttemptAt: Date | null; nextAttemptAt: Date | null; createdAt: Date }) => ({
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

const hex = z.string().regex(/^#[0-9a-f]{6}$/i);
export const WidgetInputSchema = z
  .object({
    allowedOrigins: z.array(z.string().max(200)).min(1).max(50).openapi({ example: ["https://www.example.com", "https://*.example.com"] }),
    buttonText: z.string().trim().min(1).max(40),
    color: hex,
    textColor: hex,
    position: z.enum(["bottom-right", "bottom-left"]),
    greeting: z.string().trim().max(200).default(""),
    consentText: z.string().trim().max(500).default(""),
    maxConcurrentSessions: z.number().int().min(1).max(100),
    maxSessionSeconds: z.number().int().min(1).max(3600),
    callsPerVisitorPerHour: z.number().int().min(1).max(100),
  })
  .openapi("WidgetInput");
export const WidgetSchema = WidgetInputSchema.extend({ agentId: z.uuid(), publishableKey: z.string(), snippet: z.string() }).openapi("Widget");
export const widgetJson = (
  w: { agentId: string; publishableKey: string; allowedOrigins: string[]; buttonText: string; color: string; textColor: string; position: "bottom-right" | "bottom-left"; greeting: string; consentText: string; maxConcurrentSessions: number; maxSessionSeconds: number; callsPerVisitorPerHour: number },
  edgeUrl: string,
) => ({
  agentId: w.agentId,
  publishableKey: w.publishableKey,
  allowedOrigins: w.allowedOrigins,
  buttonText: w.buttonText,
  color: w.color,
  textColor: w.textColor,
  position: w.position,
  greeting: w.greeting,
  consentText: w.consentText,
  maxConcurrentSessions: w.maxConcurrentSessions,
  maxSessionSeconds: w.maxSessionSeconds,
  callsPerVisitorPerHour: w.callsPerVisitorPerHour,
  snippet: `<script src="${edgeUrl.replace(/\/$/, "")}/widget.js" data-widget="${w.publishableKey}" async></script>`,
});

export const MemberSchema = z.object({ id: z.uuid(), name: z.string(), email: z.string(), role: z.enum(["owner", "admin", "member", "viewer"]), createdAt: z.string() }).openapi("Member");
