import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { getAgent } from "../../../db/queries/agents";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { AgentSchema, agentJson, IdParam } from "../schemas";

const route = createRoute({
  method: "get",
  path: "/agents/{id}",
  summary: "Get an agent",
  security: [{ apiKey: [] }],
  middleware: [requireScope("agents:read")] as const,
  request: { params: IdParam },
  responses: {
    200: { description: "The agent", content: { "application/json": { schema: AgentSchema } } },
    ...errorResponses,
  },
});

export const agentsGet = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const agent = await getAgent(c.get("services").db, { id: c.req.valid("param").id, tenantId: c.get("key").tenantId });
  if (!agent) throw new ApiError("NOT_FOUND", "No such agent.");
  return c.json(agentJson(agent), 200);
});
