import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, ownerTenantId as tenantId } from "./columns";
import { tenantPolicy } from "./rls";
import { calls } from "./voice";

/** One row per billable quantity; amounts are integer micro-units of `currency`. */
export const usageRecords = pgTable(
  "usage_records",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    callId: uuid("call_id").references(() => calls.id, { onDelete: "restrict" }),
    kind: text("kind", { enum: ["call_seconds"] }).notNull(),
    quantity: bigint("quantity", { mode: "bigint" }).notNull(),
    unitPriceMicros: bigint("unit_price_micros", { mode: "bigint" }).notNull(),
    amountMicros: bigint("amount_micros", { mode: "bigint" }).notNull(),
    currency: text("currency").notNull().default("usd"),
    /** The plan whose rate priced it, and the seconds of the period already used before it. */
    plan: text("plan"),
    /** Set once Stripe has the meter event (identifier: this row's id). */
    reportedAt: timestamp("reported_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    // The idempotency key of the call.ended job: a retried job cannot bill a call twice.
    uniqueIndex("usage_records_call_kind_key").on(t.callId, t.kind),
    index("usage_records_tenant_created_idx").on(t.tenantId, t.createdAt.desc().nullsFirst()),
    tenantPolicy(t.tenantId),
  ],
);

export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    /** Both encrypted (core/crypto/pii): a URL can carry a token, the secret signs deliveries. */
    url: text("url").notNull(),
    secret: text("secret").notNull(),
    /** Event types sent here; empty means every type. */
    events: text("events").array().notNull().default(sql`'{}'::text[]`),
    enabled: boolean("enabled").notNull().default(true),
    /** Why deliveries stopped (every retry of a delivery failed), shown in the portal. */
    disabledReason: text("disabled_reason"),
    /** After a rotation the old secret still signs, beside the new one, until this time. */
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: timestamp("previous_secret_expires_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("webhook_endpoints_tenant_idx").on(t.tenantId, t.createdAt.desc().nullsFirst()),
    tenantPolicy(t.tenantId),
  ],
);

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    /** The request body, sealed (core/crypto/pii): it can carry callers' numbers and transcripts. */
    body: text("body"),
    status: text("status", { enum: ["pending", "delivered", "failed", "dead"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    /** The start of the receiver's last answer (truncated), for the delivery log; sealed, as it may echo the body. */
    lastResponse: text("last_response"),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_endpoint_event_key").on(t.endpointId, t.eventId),
    index("webhook_deliveries_tenant_created_idx").on(t.tenantId, t.createdAt.desc().nullsFirst()),
    tenantPolicy(t.tenantId),
  ],
);

/** Stripe's event id is the primary key: a redelivered event is recognised, never re-applied. */
export const stripeEvents = pgTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  processedAt: timestamp("processed_at", { withTimezone: true }),
});
