import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { listAgents } from "../../../db/queries/agents";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { errorResponses } from "../errors";
import { AgentSchema, agentJson } from "../schemas";

const route = createRoute({
  method: "get",
  path: "/agents",
  summary: "List agents",
  security: [{ apiKey: [] }],
  middleware: [requireScope("agents:read")] as const,
  responses: {
    200: {
      description: "The team's agents, newest first",
      content: { "application/json": { schema: z.object({ data: z.array(AgentSchema) }) } },
    },
    ...errorResponses,
  },
});

export const agentsList = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const agents = await listAgents(c.get("services").db, { tenantId: c.get("key").tenantId });
  return c.json({ data: agents.map(agentJson) }, 200);
});
