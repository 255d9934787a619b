import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { getCall } from "../../../db/queries/calls";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { CallSchema, callJson, IdParam } from "../schemas";

const route = createRoute({
  method: "get",
  path: "/calls/{id}",
  summary: "Get a call with its transcript",
  security: [{ apiKey: [] }],
  middleware: [requireScope("calls:read")] as const,
  request: { params: IdParam },
  responses: {
    200: { description: "The call", content: { "application/json": { schema: CallSchema } } },
    ...errorResponses,
  },
});

export const callsGet = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db, pii } = c.get("services");
  const call = await getCall(db, pii, { id: c.req.valid("param").id, tenantId: c.get("key").tenantId });
  if (!call) throw new ApiError("NOT_FOUND", "No such call.");
  return c.json(callJson(call), 200);
});
