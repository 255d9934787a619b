import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { dailyUsage } from "../../../db/queries/usage-report";
import { usageRange } from "../../utils/usage-range";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";

const route = createRoute({
  method: "get",
  path: "/usage",
  summary: "Billed usage per UTC day (default: the last 30 days)",
  security: [{ apiKey: [] }],
  middleware: [requireScope("calls:read")] as const,
  request: {
    query: z.object({
      from: z.string().optional().openapi({ example: "2026-11-01" }),
      to: z.string().optional().openapi({ example: "2026-11-30" }),
    }),
  },
  responses: {
    200: {
      description: "One entry per day; money in exact micro-units (strings)",
      content: {
        "application/json": {
          schema: z.object({
            data: z.array(
              z.object({ day: z.string(), calls: z.number().int(), seconds: z.string(), costMicros: z.string() }),
            ),
          }),
        },
      },
    },
    ...errorResponses,
  },
});

export const usageDaily = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const range = usageRange(new URL(c.req.url).searchParams);
  if (range.error) throw new ApiError("BAD_REQUEST", range.error);
  const days = await dailyUsage(c.get("services").db, {
    tenantId: c.get("key").tenantId,
    from: range.from,
    to: range.to,
  });
  return c.json(
    {
      data: days.map((d) => ({ day: d.day, calls: d.calls, seconds: String(d.seconds), costMicros: String(d.micros) })),
    },
    200,
  );
});
