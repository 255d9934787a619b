import { bigint, integer, pgTable, primaryKey, timestamp } from "drizzle-orm/pg-core";
import { ownerTenantId as tenantId } from "./columns";
import { tenantPolicy } from "./rls";

/**
 * Usage records summed per tenant and UTC hour, kept by a trigger on `usage_records` in the
 * same transaction as each record (docs/decisions/0039): the period's seconds are the whole hours
 * read here plus the raw records of the first partial hour, exact, without reading every call.
 */
export const usageHourly = pgTable(
  "usage_hourly",
  {
    tenantId: tenantId(),
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    calls: integer("calls").notNull(),
    seconds: bigint("seconds", { mode: "bigint" }).notNull(),
    micros: bigint("micros", { mode: "bigint" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.hour] }), tenantPolicy(t.tenantId)],
);
