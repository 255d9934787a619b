import type { LoaderFunctionArgs } from "@remix-run/node";
import { usageCsv } from "~/exports/usage-csv.server";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { usageRange } from "~/utils/usage-range";

/** Every billed line in the range, streamed as CSV, oldest first (app/exports). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "call:read");
  const range = usageRange(new URL(request.url).searchParams);
  if (range.error)
    return new Response(`${range.error}\n`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  return usageCsv({ db: db() }, { tenantId, from: range.from, to: range.to });
}
