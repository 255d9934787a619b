import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { isoDay, usageRange } from "~/utils/usage-range";
import { csvField } from "../../core/csv";
import { formatMicros } from "../../core/money";
import { usageLines } from "../../db/queries/usage-report";

/** Every billed call in the range, one line each, with exact amounts (micro-units and dollars). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "call:read");
  const range = usageRange(new URL(request.url).searchParams);
  if (range.error)
    return new Response(`${range.error}\n`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  const lines = await usageLines(db(), { tenantId, from: range.from, to: range.to });
  const header = ["time_utc", "call_id", "agent", "number", "direction", "seconds", "cost_micros", "cost", "plan"];
  const body = lines.map((l) =>
    [
      l.at.toISOString(),
      l.callId ?? "",
      l.agent ?? "",
      l.number ?? "",
      l.direction,
      String(l.seconds),
      String(l.micros),
      formatMicros(l.micros),
      l.plan ?? "",
    ]
      .map(csvField)
      .join(","),
  );
  return new Response(`${[header.join(","), ...body].join("\r\n")}\r\n`, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="usage-${isoDay(range.from)}-to-${isoDay(new Date(range.to.getTime() - 86_400_000))}.csv"`,
      "cache-control": "no-store",
    },
  });
}
