import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { screeningActions } from "../../core/answered-by";
import { createdAt, ownerTenantId as tenantId } from "./columns";
import { tenantPolicy } from "./rls";
import { agents } from "./voice";

export const campaignStatuses = ["running", "paused", "cancelled", "completed"] as const;

/** A list of people an agent calls, at a pace, inside a calling window, with retries. */
export const campaigns = pgTable(
  "campaigns",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    name: text("name").notNull(),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "restrict" }),
    /** Numbers to call from, used in turn. */
    fromNumberIds: uuid("from_number_ids").array().notNull(),
    status: text("status", { enum: campaignStatuses }).notNull().default("running"),
    /** Local time of day (minutes after midnight) in each callee's zone when calls may be placed. */
    windowStartMinute: integer("window_start_minute").notNull().default(540),
    windowEndMinute: integer("window_end_minute").notNull().default(1020),
    /** IANA zone for rows whose CSV gives none. */
    defaultTimezone: text("default_timezone").notNull().default("America/New_York"),
    callsPerMinute: integer("calls_per_minute").notNull().default(10),
    maxConcurrent: integer("max_concurrent").notNull().default(5),
    maxAttempts: integer("max_attempts").notNull().default(2),
    retryDelayMinutes: integer("retry_delay_minutes").notNull().default(60),
    machineDetection: text("machine_detection", { enum: ["off", "hangup", "leave_message"] })
      .notNull()
      .default("off"),
    voicemailMessage: text("voicemail_message"),
    /** When a call-screening assistant answers: state the purpose (`screeningMessage`, else the first message), leave the voicemail, or hang up. */
    screeningAction: text("screening_action", { enum: screeningActions }).notNull().default("state_purpose"),
    screeningMessage: text("screening_message"),
    createdAt: createdAt(),
  },
  (t) => [
    index("campaigns_tenant_created_idx").on(t.tenantId, t.createdAt.desc().nullsFirst()),
    tenantPolicy(t.tenantId),
  ],
);

export const campaignRowStatuses = [
  "pending",
  "dialling",
  "completed",
  "busy",
  "no-answer",
  "failed",
  "do_not_call",
  "cancelled",
] as const;

export const campaignRows = pgTable(
  "campaign_rows",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    rowNumber: integer("row_number").notNull(),
    /** Encrypted (core/crypto/pii, table campaign_rows): the number, and the row's variables as JSON. */
    phone: text("phone").notNull(),
    variables: text("variables").notNull(),
    timezone: text("timezone").notNull(),
    status: text("status", { enum: campaignRowStatuses }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastCallId: uuid("last_call_id"),
    /** When the row was claimed for dialling; a claim that never produced a call is given up, never redialled. */
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    result: jsonb("result").$type<Record<string, string>>(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("campaign_rows_campaign_row_key").on(t.campaignId, t.rowNumber),
    index("campaign_rows_due_idx").on(t.tenantId, t.campaignId, t.status, t.nextAttemptAt),
    tenantPolicy(t.tenantId),
  ],
);
