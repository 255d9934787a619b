import { formatMicros } from "../../core/money";
import { countUsageForExport, usageExportBatch } from "../../db/queries/usage-export";
import type { Db } from "../../db/tenant";
import { isoDay } from "../utils/usage-range";
import { csvResponse, pinnedEnd } from "./csv-stream.server";

type Line = Awaited<ReturnType<typeof usageExportBatch>>[number];

/** Every billed line in [from, to), oldest first, with exact amounts (micro-units and dollars). Portal and API. */
export async function usageCsv(s: { db: Db }, q: { tenantId: string; from: Date; to: Date }) {
  const range = { ...q, to: pinnedEnd(q.to) };
  return csvResponse({
    filename: `usage-${isoDay(q.from)}-to-${isoDay(new Date(q.to.getTime() - 86_400_000))}.csv`,
    header: ["time_utc", "call_id", "agent", "number", "direction", "seconds", "cost_micros", "cost", "plan"],
    batch: (after) => usageExportBatch(s.db, { ...range, after }),
    line: (l: Line) => [
      l.at.toISOString(),
      l.callId ?? "",
      l.agent ?? "",
      l.number ?? "",
      l.direction ?? "",
      String(l.seconds),
      String(l.micros),
      formatMicros(l.micros),
      l.plan ?? "",
    ],
    totalRows: await countUsageForExport(s.db, range),
    asOf: range.to,
  });
}
