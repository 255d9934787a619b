import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { requireIdParam } from "~/utils/params.server";
import { pii } from "~/utils/pii.server";
import { csvField } from "../../core/csv";
import { getCampaign } from "../../db/queries/campaigns";

const notFound = () => new Response("Campaign not found", { status: 404 });

/** The campaign's rows with their outcome, as CSV: the upload's columns, then status, attempts, call. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "call:read");
  const c = await getCampaign(db(), pii(), { tenantId, id: requireIdParam(params, "campaignId", notFound) });
  if (!c) throw notFound();
  const names = [...new Set(c.rows.flatMap((r) => Object.keys(r.variables)))];
  const header = ["row", "phone", ...names, "status", "attempts", "outcome", "answered_by", "call_id"];
  const lines = c.rows.map((r) =>
    [
      String(r.rowNumber),
      r.phone,
      ...names.map((n) => r.variables[n] ?? ""),
      r.status,
      String(r.attempts),
      r.result?.outcome ?? r.result?.reason ?? "",
      r.result?.answeredBy ?? "",
      r.lastCallId ?? "",
    ]
      .map(csvField)
      .join(","),
  );
  return new Response(`${[header.join(","), ...lines].join("\r\n")}\r\n`, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="campaign-${c.id}.csv"`,
      "cache-control": "no-store",
    },
  });
}
