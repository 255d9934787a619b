import { bigint, date, integer, pgTable, primaryKey, timestamp, unique, uuid } from "drizzle-orm/pg-core";
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

/**
 * Usage records summed per tenant, UTC day, agent and phone number of their call, kept by the same
 * trigger (docs/decisions/0041): the usage page reads a row per day and line, not every record.
 * The agent and number are ids as the call held them when billed, with no foreign key, so deleting
 * either never touches the history; the page labels them as the raw records would.
 */
export const usageDaily = pgTable(
  "usage_daily",
  {
    tenantId: tenantId(),
    day: date("day", { mode: "string" }).notNull(),
    agentId: uuid("agent_id"),
    phoneNumberId: uuid("phone_number_id"),
    calls: integer("calls").notNull(),
    seconds: bigint("seconds", { mode: "bigint" }).notNull(),
    micros: bigint("micros", { mode: "bigint" }).notNull(),
  },
  (t) => [
    unique("usage_daily_line_key").on(t.tenantId, t.day, t.agentId, t.phoneNumberId).nullsNotDistinct(),
    tenantPolicy(t.tenantId),
  ],
);
