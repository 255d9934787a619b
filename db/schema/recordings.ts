import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, ownerTenantId as tenantId } from "./columns";
import { tenantPolicy } from "./rls";
import { calls } from "./voice";

export const recordingStatuses = ["pending", "stored", "absent", "failed", "expired"] as const;

/**
 * A call's recording. Twilio records (dual channel) and tells the edge when the file is ready;
 * a job copies it, encrypted, into our object store and deletes Twilio's copy (docs/decisions/0012).
 */
export const recordings = pgTable(
  "recordings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    callId: uuid("call_id")
      .notNull()
      .references(() => calls.id, { onDelete: "cascade" }),
    providerRecordingSid: text("provider_recording_sid").notNull(),
    /** Twilio's media URL (no credentials in it); fetched with the owning account's key. */
    providerMediaUrl: text("provider_media_url").notNull(),
    status: text("status", { enum: recordingStatuses }).notNull().default("pending"),
    channels: integer("channels"),
    durationSeconds: integer("duration_seconds"),
    /** Where the encrypted bytes are in the object store, and how many plaintext bytes they hold. */
    storageKey: text("storage_key"),
    bytes: integer("bytes"),
    contentType: text("content_type"),
    error: text("error"),
    storedAt: timestamp("stored_at", { withTimezone: true }),
    providerDeletedAt: timestamp("provider_deleted_at", { withTimezone: true }),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("recordings_provider_recording_sid_key").on(t.providerRecordingSid),
    index("recordings_tenant_call_idx").on(t.tenantId, t.callId),
    // The retention sweep: stored_at + the tenant's current retention (so shortening it applies to all).
    index("recordings_stored_idx").on(t.tenantId, t.storedAt).where(sql`status = 'stored'`),
    tenantPolicy(t.tenantId),
  ],
);
