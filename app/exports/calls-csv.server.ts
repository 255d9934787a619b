import type { PiiCipher } from "../../core/crypto/pii";
import { callExportBatch, callExportFields, countCallsForExport } from "../../db/queries/call-export";
import type { Db } from "../../db/tenant";
import { isoDay } from "../utils/usage-range";
import { csvResponse, pinnedEnd } from "./csv-stream.server";

type Call = Awaited<ReturnType<typeof callExportBatch>>[number];
const text = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));

/**
 * Every call created in [from, to), oldest first (a file reads like a log), with its analysis:
 * summary, success, one `data.*` column per field the tenant's analysis plans name, and any other
 * extracted field in `data_other_fields` (JSON), so no value is dropped. Shared by the portal and the API.
 */
export async function callsCsv(s: { db: Db; pii: PiiCipher }, q: { tenantId: string; from: Date; to: Date }) {
  const range = { ...q, to: pinnedEnd(q.to) };
  const [fields, totalRows] = await Promise.all([callExportFields(s.db, q.tenantId), countCallsForExport(s.db, range)]);
  const others = (data: Record<string, unknown> | null | undefined) => {
    const rest = Object.entries(data ?? {}).filter(([k]) => !fields.includes(k));
    return rest.length ? JSON.stringify(Object.fromEntries(rest)) : "";
  };
  return csvResponse({
    filename: `calls-${isoDay(q.from)}-to-${isoDay(new Date(q.to.getTime() - 86_400_000))}.csv`,
    header: [
      ...["time_utc", "call_id", "agent", "agent_version", "direction", "status", "seconds", "answered_by"],
      ...["analysis", "summary", "success", "success_reason"],
      ...fields.map((f) => `data.${f}`),
      "data_other_fields",
    ],
    batch: (after) => callExportBatch(s.db, s.pii, { ...range, after }),
    line: (r: Call) => [
      r.createdAt.toISOString(),
      r.id,
      r.agentName ?? "",
      text(r.agentVersion),
      r.direction,
      r.status,
      text(r.durationSeconds),
      text(r.answeredBy),
      r.analysis ? (r.analysis.sandbox ? "sandbox" : r.analysis.status) : "pending",
      text(r.analysis?.summary),
      text(r.analysis?.success),
      text(r.analysis?.successReason),
      ...fields.map((f) => text(r.analysis?.data?.[f])),
      others(r.analysis?.data),
    ],
    totalRows,
    asOf: range.to,
  });
}
