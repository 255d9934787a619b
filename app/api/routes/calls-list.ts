import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { answeredByValues } from "../../../core/answered-by";
import { callOutcomes, listCalls } from "../../../db/queries/calls";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { decodeCursor, encodeCursor } from "../cursor";
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
  const { cursor, ...query } = c.req.valid("query");
  const before = cursor ? decodeCursor(cursor) : undefined;
  if (before === null) throw new ApiError("BAD_REQUEST", "cursor: not a cursor this API gave out");
  const rows = await listCalls(services.db, services.pii, { tenantId: key.tenantId, ...query, before });
  const last = rows.at(-1);
  const nextCursor = rows.length === query.limit && last ? encodeCursor({ at: last.position, id: last.id }) : null;
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
