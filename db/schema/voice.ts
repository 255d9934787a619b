import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgPolicy,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { AgentTool } from "../../core/agent-tools";
import type { TurnTaking } from "../../core/agents/turn-taking";
import type { AnalysisPlan } from "../../core/analysis/plan";
import { answeredByValues, screeningActions } from "../../core/answered-by";
import type { TurnLatency } from "../../core/turn-latency";
import { tenants } from "./accounts";
import { createdAt, ownerTenantId as tenantId } from "./columns";
import { tenantPolicy } from "./rls";
import { twilioAccounts } from "./telephony";

export const agents = pgTable(
  "agents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    name: text("name").notNull(),
    systemPrompt: text("system_prompt").notNull(),
    firstMessage: text("first_message").notNull(),
    voice: text("voice").notNull(),
    model: text("model").notNull(),
    /** `cascade`: STT → LLM → TTS; `speech_to_speech`: one realtime model hears and speaks. */
    mode: text("mode", { enum: ["cascade", "speech_to_speech"] })
      .notNull()
      .default("cascade"),
    /** BCP-47 language for speech recognition. */
    language: text("language").notNull().default("en"),
    temperature: numeric("temperature", { precision: 3, scale: 2 }).notNull().default("0.70"),
    /** 0 (hard to interrupt) to 1 (stops at any sound): how readily the caller's voice cuts in. */
    interruptionSensitivity: numeric("interruption_sensitivity", { precision: 3, scale: 2 }).notNull().default("0.50"),
    maxDurationSeconds: integer("max_duration_seconds").notNull().default(1800),
    /** Caller silence before a reprompt; the same again and the agent says goodbye and hangs up. */
    silenceTimeoutSeconds: integer("silence_timeout_seconds").notNull().default(20),
    /** When the caller or the agent says one of these (whole words), the call ends with a last line heard (docs/decisions/0028). */
    endCallPhrases: text("end_call_phrases").array().notNull().default(sql`'{}'::text[]`),
    tools: jsonb("tools").$type<AgentTool[]>().notNull().default([]),
    /** Phone calls are recorded (dual channel) when on; the disclosure is spoken before the first message. */
    recordCalls: boolean("record_calls").notNull().default(false),
    recordingDisclosure: text("recording_disclosure"),
    analysisPlan: jsonb("analysis_plan").$type<AnalysisPlan>().notNull().default({}),
    /** Turn-taking overrides; unset fields take the engine's defaults (docs/decisions/0042). */
    turnTaking: jsonb("turn_taking").$type<Partial<TurnTaking>>().notNull().default({}),
    /** The knowledge bases the agent answers from. */
    knowledgeBaseIds: uuid("knowledge_base_ids").array().notNull().default(sql`'{}'::uuid[]`),
    /** `auto`: relevant passages are added before each reply; `tool`: the model searches when it decides to. */
    retrievalMode: text("retrieval_mode", { enum: ["auto", "tool"] })
      .notNull()
      .default("auto"),
    version: integer("version").notNull().default(1),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("agents_tenant_created_idx").on(t.tenantId, t.createdAt.desc().nullsFirst()).where(sql`deleted_at is null`),
    tenantPolicy(t.tenantId),
  ],
);

export const phoneNumbers = pgTable(
  "phone_numbers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    e164: text("e164").notNull(),
    agentId: uuid("agent_id").references(() => agents.id, { onDelete: "set null" }),
    providerSid: text("provider_sid"),
    friendlyName: text("friendly_name"),
    twilioAccountId: uuid("twilio_account_id").references(() => twilioAccounts.id, { onDelete: "restrict" }),
    /** What the last check found wrong with the number's Twilio configuration; null when it matched. */
    configDrift: text("config_drift"),
    configCheckedAt: timestamp("config_checked_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("phone_numbers_e164_key").on(t.e164),
    index("phone_numbers_tenant_idx").on(t.tenantId, t.createdAt.desc().nullsFirst()),
    tenantPolicy(t.tenantId),
    // Routing an inbound call happens before the tenant is known: the edge may read exactly the
    // row of the number it was called on, nothing else (see docs/decisions/0003).
    pgPolicy("route_inbound_call", {
      for: "select",
      using: sql`${t.e164} = nullif(current_setting('app.route_number', true), '')`,
    }),
  ],
);

export const callStatuses = ["ringing", "in_progress", "completed", "failed"] as const;

export const calls = pgTable(
  "calls",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    agentId: uuid("agent_id").references(() => agents.id, { onDelete: "set null" }),
    /** The agent version the call ran (set when it is answered). */
    agentVersion: integer("agent_version"),
    phoneNumberId: uuid("phone_number_id").references(() => phoneNumbers.id, { onDelete: "set null" }),
    direction: text("direction", { enum: ["inbound", "outbound", "web"] }).notNull(),
    status: text("status", { enum: callStatuses }).notNull().default("ringing"),
    /** Encrypted (core/crypto/pii); look up by `fromNumberIndex`, a blind index. */
    fromNumber: text("from_number"),
    fromNumberIndex: text("from_number_index"),
    toNumber: text("to_number"),
    providerCallSid: text("provider_call_sid"),
    /** Twilio's view of the call from its status callbacks; `providerStatusRank` only ever rises. */
    providerStatus: text("provider_status"),
    providerStatusRank: integer("provider_status_rank").notNull().default(-1),
    /** Twilio's billed duration of the phone leg, from its final status callback. */
    providerDurationSeconds: integer("provider_duration_seconds"),
    /** What Twilio charged for the phone leg (micro-units of `providerPriceUnit`; negative = a charge, as Twilio writes it). */
    providerPriceMicros: bigint("provider_price_micros", { mode: "bigint" }),
    providerPriceUnit: text("provider_price_unit"),
    /** Outbound calls placed by a campaign: the row they dial (its result follows the call's status). */
    campaignRowId: uuid("campaign_row_id"),
    /** Outbound calls: values for `{{name}}` placeholders in the agent's prompt and first message. */
    variables: jsonb("variables").$type<Record<string, string>>(),
    /** Outbound calls: what to do when a machine answers (`off`: no detection). */
    machineDetection: text("machine_detection", { enum: ["off", "hangup", "leave_message"] }),
    voicemailMessage: text("voicemail_message"),
    /** Outbound calls: how the call was answered (core/answered-by; null: nothing was detected). */
    answeredBy: text("answered_by", { enum: answeredByValues }),
    /** Outbound calls: what the agent does when a call-screening assistant answers, and the line stating its purpose. */
    screeningAction: text("screening_action", { enum: screeningActions }),
    screeningMessage: text("screening_message"),
    /** Web calls: the widget (and the page's origin) the visitor called from. */
    widgetId: uuid("widget_id"),
    origin: text("origin"),
    startedAt: timestamp("started_at", { withTimezone: true }),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    /** The relay's last sign of life for this call (every 15 s): a call it stopped reporting is closed at this moment. */
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
    durationSeconds: integer("duration_seconds"),
    costMicros: bigint("cost_micros", { mode: "bigint" }),
    endReason: text("end_reason"),
    createdAt: createdAt(),
  },
  (t) => [
    // NULLS FIRST is what `ORDER BY … DESC` means: an index ordered otherwise cannot serve the lists (docs/decisions/0039).
    index("calls_tenant_created_id_idx").on(t.tenantId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("calls_tenant_agent_created_idx").on(t.tenantId, t.agentId, t.createdAt.desc().nullsFirst()),
    // Admission and the live page read only the calls still open: a few rows, however many calls ended.
    index("calls_tenant_open_idx").on(t.tenantId, t.createdAt.desc().nullsFirst()).where(sql`ended_at is null`),
    // The calls list's sorts by duration and cost, either way (docs/decisions/0053). Plain columns, not
    // coalesce(): under RLS only leakproof expressions of columns can be index conditions.
    index("calls_tenant_duration_idx").on(t.tenantId, t.durationSeconds, t.id),
    index("calls_tenant_cost_idx").on(t.tenantId, t.costMicros, t.id),
    index("calls_tenant_from_index_idx").on(t.tenantId, t.fromNumberIndex),
    index("calls_tenant_widget_status_idx").on(t.tenantId, t.widgetId, t.status).where(sql`widget_id is not null`),
    uniqueIndex("calls_provider_call_sid_key").on(t.providerCallSid),
    check("calls_duration_nonnegative", sql`${t.durationSeconds} >= 0`),
    // The calls list's filter by how they were answered: only outbound calls have a value, so a partial index stays small.
    index("calls_tenant_answered_by_idx")
      .on(t.tenantId, t.answeredBy, t.createdAt.desc().nullsFirst())
      .where(sql`answered_by is not null`),
    tenantPolicy(t.tenantId),
    // The lost-call sweep (jobs) finds calls still open in any tenant, then closes each under its own tenant.
    // Its own role, so these are never OR'ed into the app's tenant predicate (docs/decisions/0039).
    pgPolicy("maintenance_open_calls", {
      for: "select",
      to: "bvrai_call_sweep",
      using: sql`current_setting('app.maintenance', true) = 'on' AND ${t.endedAt} IS NULL AND ${t.startedAt} IS NOT NULL`,
    }),
    // ...and web calls whose visitor never opened the socket, which it closes as abandoned.
    pgPolicy("maintenance_ringing_web_calls", {
      for: "select",
      to: "bvrai_call_sweep",
      using: sql`current_setting('app.maintenance', true) = 'on' AND ${t.endedAt} IS NULL AND ${t.status} = 'ringing' AND ${t.direction} = 'web'`,
    }),
  ],
);

export const callTurns = pgTable(
  "call_turns",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    callId: uuid("call_id")
      .notNull()
      .references(() => calls.id, { onDelete: "restrict" }),
    seq: integer("seq").notNull(),
    speaker: text("speaker", { enum: ["agent", "caller", "tool"] }).notNull(),
    text: text("text").notNull(),
    offsetMs: integer("offset_ms").notNull(),
    endOffsetMs: integer("end_offset_ms"),
    /** The caller spoke over this agent turn; `text` holds only what they heard. */
    interrupted: boolean("interrupted").notNull().default(false),
    /** End of caller speech to first audio sent, in ms. */
    latencyMs: integer("latency_ms"),
    /** That total by stage: stt, llm (first token), tts (first byte), platform (our own share). */
    latency: jsonb("latency").$type<TurnLatency>(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("call_turns_call_seq_key").on(t.callId, t.seq), tenantPolicy(t.tenantId)],
);

export const callEvents = pgTable(
  "call_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    callId: uuid("call_id")
      .notNull()
      .references(() => calls.id, { onDelete: "restrict" }),
    type: text("type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index("call_events_call_created_idx").on(t.tenantId, t.callId, t.createdAt), tenantPolicy(t.tenantId)],
);

export const credentialProviders = ["deepgram", "openai", "elevenlabs"] as const;
export type CredentialProvider = (typeof credentialProviders)[number];

/** A tenant's own provider key, used for its calls instead of the platform's. Encrypted. */
export const providerCredentials = pgTable(
  "provider_credentials",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    provider: text("provider", { enum: credentialProviders }).notNull(),
    /** Encrypted (core/crypto/pii, table provider_credentials, column api_key). */
    apiKey: text("api_key").notNull(),
    /** The key's last four characters, to recognise it without decrypting. */
    hint: text("hint").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("provider_credentials_tenant_provider_key").on(t.tenantId, t.provider), tenantPolicy(t.tenantId)],
);
