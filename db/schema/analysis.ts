import { boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, ownerTenantId as tenantId } from "./columns";
import { tenantPolicy } from "./rls";
import { calls } from "./voice";

/** The post-call analysis of one call. `summary`, `data` and `successReason` are encrypted (db/pii-columns). */
export const callAnalyses = pgTable(
  "call_analyses",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    callId: uuid("call_id")
      .notNull()
      .references(() => calls.id, { onDelete: "restrict" }),
    status: text("status", { enum: ["completed", "failed"] }).notNull(),
    summary: text("summary"),
    /** The agent's structured-data fields, as JSON text. */
    data: text("data"),
    /** Null: the agent has no rubric, or the analysis failed. */
    success: boolean("success"),
    successReason: text("success_reason"),
    error: text("error"),
    model: text("model"),
    /** Sandbox analysis (no model configured): labelled as such wherever it is shown. */
    sandbox: boolean("sandbox").notNull().default(false),
    completedAt: timestamp("completed_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("call_analyses_call_key").on(t.callId),
    index("call_analyses_tenant_success_idx").on(t.tenantId, t.success),
    tenantPolicy(t.tenantId),
  ],
);
