import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { answeredByValues } from "../../../core/answered-by";
import { callOutcomes, listCallsPage } from "../../../db/queries/calls";
import { CursorError } from "../../../db/queries/keyset";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { CallSummarySchema } from "../schemas";

const route = createRoute({
  method: "get",
  path: "/calls",
  summary: "List calls",
  security: [{ apiKey: [] }],
  middleware: [requireScope("calls:read")] as const,
  request: {
    query: z.object({
      from: z.string().max(32).optional().openapi({ description: "Only calls from this number (E.164)" }),
      outcome: z.enum(callOutcomes).optional().openapi({
        description: "Only calls the post-call analysis judged so (`unevaluated`: no verdict yet or no rubric)",
      }),
      answeredBy: z.enum(answeredByValues).optional().openapi({
        description: "Only outbound calls answered so (`voicemail`, `screening`: a call-screening assistant, …)",
      }),
      limit: z.coerce.number().int().min(1).max(100).default(50),
      cursor: z.string().max(200).optional().openapi({ description: "`nextCursor` of the previous page" }),
    }),
  },
  responses: {
    200: {
      description: "Calls, newest first",
      content: {
        "application/json": {
          schema: z.object({ data: z.array(CallSummarySchema), nextCursor: z.string().nullable() }),
        },
      },
    },
    ...errorResponses,
  },
});

export const callsList = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { services, key } = { services: c.get("services"), key: c.get("key") };
  const query = c.req.valid("query");
  const { calls: rows, nextCursor } = await listCallsPage(services.db, services.pii, {
    tenantId: key.tenantId,
    ...query,
  }).catch((err) => {
    if (err instanceof CursorError) throw new ApiError("BAD_REQUEST", `cursor: ${err.message}`);
    throw err;
  });
  return c.json(
    {
      nextCursor,
      data: rows.map((r) => ({
        id: r.id,
        direction: r.direction,
        status: r.status,
        from: r.fromNumber,
        agentName: r.agentName,
        durationSeconds: r.durationSeconds,
        costMicros: r.costMicros?.toString() ?? null,
        success: r.success,
        answeredBy: r.answeredBy,
        createdAt: r.createdAt.toISOString(),
      })),
    },
    200,
  );
});
