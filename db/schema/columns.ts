import { timestamp, uuid } from "drizzle-orm/pg-core";
import { tenants } from "./accounts";

export const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/** The owner of a tenant-owned row. `restrict`: deleting a tenant never silently takes its history. */
export const ownerTenantId = () =>
  uuid("tenant_id")
    .notNull()
    .references(() => tenants.id, { onDelete: "restrict" });
