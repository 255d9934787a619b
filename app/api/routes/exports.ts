import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { callsCsv } from "../../exports/calls-csv.server";
import { usageCsv } from "../../exports/usage-csv.server";
import { usageRange } from "../../utils/usage-range";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";

const csv = (description: string) => ({
  description: `${description}. Streamed, oldest first, every row of the range; \`X-Total-Rows\` (counted before the first row) is the progress total and \`X-Export-As-Of\` the end of the range as exported`,
  headers: z.object({
    "x-total-rows": z.string().openapi({ example: "165140" }),
    "x-export-as-of": z.string().openapi({ example: "2026-11-30T12:00:00.000Z" }),
  }),
  content: { "text/csv": { schema: z.string() } },
});
const query = z.object({
  from: z.string().optional().openapi({ example: "2026-11-01", description: "First UTC day (default: 30 days ago)" }),
  to: z.string().optional().openapi({ example: "2026-11-30", description: "Last UTC day, inclusive (default: today)" }),
});
const exportRoute = (path: string, summary: string, description: string) =>
  createRoute({
    method: "get",
    path,
    summary,
    security: [{ apiKey: [] }],
    middleware: [requireScope("calls:read")] as const,
    request: { query },
    responses: { 200: csv(description), ...errorResponses },
  });

const rangeOf = (url: string) => {
  const range = usageRange(new URL(url).searchParams);
  if (range.error) throw new ApiError("BAD_REQUEST", range.error);
  return range;
};

export const exportsCalls = new OpenAPIHono<ApiEnv>().openapi(
  exportRoute("/exports/calls", "Calls in a date range with their analysis, as CSV", "One line per call"),
  async (c) => {
    const { from, to } = rangeOf(c.req.url);
    return callsCsv(c.get("services"), { tenantId: c.get("key").tenantId, from, to });
  },
);

export const exportsUsage = new OpenAPIHono<ApiEnv>().openapi(
  exportRoute("/exports/usage", "Billed usage in a date range, one line per call, as CSV", "One line per billed call"),
  async (c) => {
    const { from, to } = rangeOf(c.req.url);
    return usageCsv(c.get("services"), { tenantId: c.get("key").tenantId, from, to });
  },
);
