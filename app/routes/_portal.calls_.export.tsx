import type { LoaderFunctionArgs } from "@remix-run/node";
import { callsCsv } from "~/exports/calls-csv.server";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { pii } from "~/utils/pii.server";
import { usageRange } from "~/utils/usage-range";

/** Every call in the range with its analysis, streamed as CSV, oldest first (app/exports). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "call:read");
  const range = usageRange(new URL(request.url).searchParams);
  if (range.error)
    return new Response(`${range.error}\n`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  return callsCsv({ db: db(), pii: pii() }, { tenantId, from: range.from, to: range.to });
}
