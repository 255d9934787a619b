import { and, asc, count, eq, gte, lt, sql } from "drizzle-orm";
import type { PiiCipher } from "../../core/crypto/pii";
import { agents, callAnalyses, calls } from "../schema";
import { type Db, withTenant } from "../tenant";
import { openAnalysis } from "./call-analyses";
import { afterPosition, EXPORT_BATCH_ROWS, type ExportPosition, positionText } from "./export-position";

/** Calls created in [from, to): the export's range, `to` already pinned to when the export began. */
export type CallExportRange = { tenantId: string; from: Date; to: Date };

const inRange = (r: CallExportRange) =>
  and(eq(calls.tenantId, r.tenantId), gte(calls.createdAt, r.from), lt(calls.createdAt, r.to));

/** How many calls the export will hold, counted before the first row is sent (the progress total). */
export function countCallsForExport(db: Db, r: CallExportRange) {
  return withTenant(db, r.tenantId, async (tx) => {
    const [row] = await tx.select({ n: count() }).from(calls).where(inRange(r));
    return row?.n ?? 0;
  });
}

/**
 * The structured-data fields any of the tenant's agents (as they are and as every version was)
 * asks the analysis for: the export's `data.*` columns, known before the first row. A field no
 * plan names any more still reaches the file, in `data_other_fields`.
 */
export function callExportFields(db: Db, tenantId: string) {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx.execute<{ name: string }>(sql`
      select distinct jsonb_object_keys(p -> 'dataSchema' -> 'properties') as name
      from (select analysis_plan as p from agents where tenant_id = ${tenantId}
            union all select settings -> 'analysisPlan' from agent_versions where tenant_id = ${tenantId}) plans
      where jsonb_typeof(p -> 'dataSchema' -> 'properties') = 'object'
      order by 1`);
    return (rows as unknown as { rows: { name: string }[] }).rows.map((r) => r.name);
  });
}

/** The next batch of calls after `after`, oldest first, with their analysis decrypted. */
export async function callExportBatch(
  db: Db,
  pii: PiiCipher,
  r: CallExportRange & { after?: ExportPosition; limit?: number },
) {
  const rows = await withTenant(db, r.tenantId, (tx) =>
    tx
      .select({
        id: calls.id,
        createdAt: calls.createdAt,
        position: positionText(calls.createdAt),
        direction: calls.direction,
        status: calls.status,
        durationSeconds: calls.durationSeconds,
        answeredBy: calls.answeredBy,
        agentName: agents.name,
        agentVersion: calls.agentVersion,
        analysis: callAnalyses,
      })
      .from(calls)
      .leftJoin(agents, eq(agents.id, calls.agentId))
      .leftJoin(callAnalyses, eq(callAnalyses.callId, calls.id))
      .where(and(inRange(r), afterPosition(calls.createdAt, calls.id, r.after)))
      .orderBy(asc(calls.createdAt), asc(calls.id))
      .limit(r.limit ?? EXPORT_BATCH_ROWS),
  );
  return Promise.all(
    rows.map(async (row) => ({ ...row, analysis: await openAnalysis(pii, r.tenantId, row.analysis) })),
  );
}
