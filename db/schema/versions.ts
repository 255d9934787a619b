import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgPolicy, pgTable, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, ownerTenantId as tenantId } from "./columns";
import { tenantPolicy } from "./rls";
import { agents } from "./voice";

/**
 * Every saved state of an agent, one row per version, never changed by a request (the app role may
 * insert and read; only key rotation, in a maintenance transaction, re-seals the HTTP tools' header
 * values inside `settings`). `settings` holds what the agent page edits, as the agent row had it.
 */
export const agentVersions = pgTable(
  "agent_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull(),
    /** The person who saved it; null for an API key or a migration. */
    createdBy: uuid("created_by"),
    /** A restore: the version whose settings this one copied. */
    restoredFrom: integer("restored_from"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("agent_versions_agent_version_key").on(t.agentId, t.version),
    index("agent_versions_tenant_idx").on(t.tenantId),
    tenantPolicy(t.tenantId),
    // Restrictive: on top of the tenant's own policy, an update needs a maintenance transaction.
    pgPolicy("maintenance_reseal", {
      as: "restrictive",
      for: "update",
      using: sql`current_setting('app.maintenance', true) = 'on'`,
    }),
  ],
);
