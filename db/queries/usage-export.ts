import { and, asc, count, eq, gte, lt } from "drizzle-orm";
import { agents, calls, phoneNumbers, usageRecords } from "../schema";
import { type Db, withTenant } from "../tenant";
import { afterPosition, EXPORT_BATCH_ROWS, type ExportPosition, positionText } from "./export-position";
import type { UsageRange } from "./usage-report";

const inRange = (r: UsageRange) =>
  and(eq(usageRecords.tenantId, r.tenantId), gte(usageRecords.createdAt, r.from), lt(usageRecords.createdAt, r.to));

/** How many usage lines the export will hold, counted before the first is sent (the progress total). */
export function countUsageForExport(db: Db, r: UsageRange) {
  return withTenant(db, r.tenantId, async (tx) => {
    const [row] = await tx.select({ n: count() }).from(usageRecords).where(inRange(r));
    return row?.n ?? 0;
  });
}

/** The next batch of usage lines after `after`, oldest first; a line whose call is gone still counts. */
export function usageExportBatch(db: Db, r: UsageRange & { after?: ExportPosition; limit?: number }) {
  return withTenant(db, r.tenantId, (tx) =>
    tx
      .select({
        id: usageRecords.id,
        at: usageRecords.createdAt,
        position: positionText(usageRecords.createdAt),
        callId: usageRecords.callId,
        agent: agents.name,
        number: phoneNumbers.e164,
        direction: calls.direction,
        seconds: usageRecords.quantity,
        micros: usageRecords.amountMicros,
        plan: usageRecords.plan,
      })
      .from(usageRecords)
      .leftJoin(calls, eq(calls.id, usageRecords.callId))
      .leftJoin(agents, eq(agents.id, calls.agentId))
      .leftJoin(phoneNumbers, eq(phoneNumbers.id, calls.phoneNumberId))
      .where(and(inRange(r), afterPosition(usageRecords.createdAt, usageRecords.id, r.after)))
      .orderBy(asc(usageRecords.createdAt), asc(usageRecords.id))
      .limit(r.limit ?? EXPORT_BATCH_ROWS),
  );
}
