import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { apiKeys } from "./accounts";
import { createdAt, ownerTenantId as tenantId } from "./columns";
import { tenantPolicy } from "./rls";

/**
 * An API POST made with an Idempotency-Key: the first request's answer, kept for 24 hours, is
 * what a retry by the same API key with the same request gets back (docs/decisions/0015, 0024).
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    /** Keys are the API key's own: another key of the same tenant never sees this answer. */
    apiKeyId: uuid("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    /** Method, path and a SHA-256 of the body: the same key with anything else is refused. */
    requestHash: text("request_hash").notNull(),
    /** Null while the first request is still running. */
    status: integer("status"),
    /** The answer's JSON, encrypted like personal data (it may hold a signing secret or a phone number). */
    body: text("body"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("idempotency_keys_api_key_key").on(t.tenantId, t.apiKeyId, t.key),
    index("idempotency_keys_created_idx").on(t.createdAt).where(sql`status is not null`),
    tenantPolicy(t.tenantId),
  ],
);
