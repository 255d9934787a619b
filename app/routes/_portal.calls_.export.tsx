import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { pii } from "~/utils/pii.server";
import { isoDay, usageRange } from "~/utils/usage-range";
import { csvField } from "../../core/csv";
import { analysedCalls } from "../../db/queries/call-analyses";

/** Calls in the range with their analysis: summary, success, and one column per structured-data field. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "call:read");
  const range = usageRange(new URL(request.url).searchParams);
  if (range.error)
    return new Response(`${range.error}\n`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  const rows = await analysedCalls(db(), pii(), { tenantId, from: range.from, to: range.to });
  const fields = [...new Set(rows.flatMap((r) => Object.keys(r.analysis?.data ?? {})))].sort();
  const header = [
    "time_utc",
    "call_id",
    "agent",
    "agent_version",
    "direction",
    "status",
    "seconds",
    "analysis",
    "summary",
    "success",
    "success_reason",
    ...fields.map((f) => `data.${f}`),
  ];
  const value = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));
  const body = rows.map((r) =>
    [
      r.createdAt.toISOString(),
      r.id,
      r.agentName ?? "",
      value(r.agentVersion),
      r.direction,
      r.status,
      value(r.durationSeconds),
      r.analysis ? (r.analysis.sandbox ? "sandbox" : r.analysis.status) : "pending",
      value(r.analysis?.summary),
      value(r.analysis?.success),
      value(r.analysis?.successReason),
      ...fields.map((f) => value(r.analysis?.data?.[f])),
    ]
      .map(csvField)
      .join(","),
  );
  return new Response(`${[header.join(","), ...body].join("\r\n")}\r\n`, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="calls-${isoDay(range.from)}-to-${isoDay(new Date(range.to.getTime() - 86_400_000))}.csv"`,
      "cache-control": "no-store",
    },
  });
}
