import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, ownerTenantId as tenantId } from "./columns";
import { tenantPolicy } from "./rls";

/**
 * An API POST made with an Idempotency-Key: the first request's answer, kept for 24 hours, is
 * what a retry with the same key and body gets back (docs/decisions/0015).
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    key: text("key").notNull(),
    /** Method, path and a SHA-256 of the body: the same key with anything else is refused. */
    requestHash: text("request_hash").notNull(),
    /** Null while the first request is still running. */
    status: integer("status"),
    body: jsonb("body").$type<unknown>(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("idempotency_keys_tenant_key").on(t.tenantId, t.key),
    index("idempotency_keys_created_idx").on(t.createdAt).where(sql`status is not null`),
    tenantPolicy(t.tenantId),
  ],
);
