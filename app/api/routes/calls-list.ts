import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { listCalls } from "../../../db/queries/calls";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { errorResponses } from "../errors";
import { CallSummarySchema } from "../schemas";

const route = createRoute({
  method: "get",
  path: "/calls",
  summary: "List calls",
  security: [{ apiKey: [] }],
  middleware: [requireScope("calls:read")] as const,
  request: { query: z.object({ from: z.string().max(32).optional().openapi({ description: "Only calls from this number (E.164)" }), limit: z.coerce.number().int().min(1).max(100).default(50) }) },
  responses: { 200: { description: "Calls, newest first", content: { "application/json": { schema: z.object({ data: z.array(CallSummarySchema) }) } } }, ...errorResponses },
});

export const callsList = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { services, key } = { services: c.get("services"), key: c.get("key") };
  const rows = await listCalls(services.db, services.pii, { tenantId: key.tenantId, ...c.req.valid("query") });
  return c.json({ data: rows.map((r) => ({ id: r.id, direction: r.direction, status: r.status, from: r.fromNumber, agentName: r.agentName, durationSeconds: r.durationSeconds, costMicros: r.costMicros?.toString() ?? null, createdAt: r.createdAt.toISOString() })) }, 200);
});
