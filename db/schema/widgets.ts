import { sql } from "drizzle-orm";
import { check, integer, pgPolicy, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, ownerTenantId as tenantId } from "./columns";
import { tenantPolicy } from "./rls";
import { agents } from "./voice";

/**
 * An agent's website call button. The publishable key is in the page: it names the widget and
 * nothing more, and is honoured only from an allowed origin (docs/decisions/0010).
 */
export const widgets = pgTable(
  "widgets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    publishableKey: text("publishable_key").notNull(),
    /** Exact origins (`https://shop.example.com`) or one wildcard label (`https://*.example.com`). */
    allowedOrigins: text("allowed_origins").array().notNull().default(sql`'{}'::text[]`),
    buttonText: text("button_text").notNull().default("Talk to us"),
    color: text("color").notNull().default("#4f46e5"),
    textColor: text("text_color").notNull().default("#ffffff"),
    position: text("position", { enum: ["bottom-right", "bottom-left"] })
      .notNull()
      .default("bottom-right"),
    greeting: text("greeting").notNull().default(""),
    consentText: text("consent_text").notNull().default(""),
    maxConcurrentSessions: integer("max_concurrent_sessions").notNull().default(5),
    maxSessionSeconds: integer("max_session_seconds").notNull().default(600),
    callsPerVisitorPerHour: integer("calls_per_visitor_per_hour").notNull().default(5),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("widgets_publishable_key_key").on(t.publishableKey),
    uniqueIndex("widgets_agent_key").on(t.agentId),
    check(
      "widgets_limits_positive",
      sql`${t.maxConcurrentSessions} > 0 and ${t.maxSessionSeconds} > 0 and ${t.callsPerVisitorPerHour} > 0`,
    ),
    tenantPolicy(t.tenantId),
    // A visitor's browser names the widget by its key before any tenant is known: the edge may
    // read exactly that row (like inbound routing by number, docs/decisions/0003).
    pgPolicy("widget_by_publishable_key", {
      for: "select",
      using: sql`${t.publishableKey} = nullif(current_setting('app.publishable_key', true), '')`,
    }),
  ],
);
