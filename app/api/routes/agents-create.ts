import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { agentColumns } from "../../../core/agents/agent-input";
import { PlanLimitError } from "../../../core/billing/plans";
import { createAgent } from "../../../db/queries/agents";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { AgentInputSchema, AgentSchema, agentJson } from "../schemas";

const route = createRoute({
  method: "post",
  path: "/agents",
  summary: "Create an agent",
  security: [{ apiKey: [] }],
  middleware: [requireScope("agents:write")] as const,
  request: { body: { content: { "application/json": { schema: AgentInputSchema } }, required: true } },
  responses: {
    201: { description: "The new agent", content: { "application/json": { schema: AgentSchema } } },
    ...errorResponses,
  },
});

export const agentsCreate = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const key = c.get("key");
  try {
    const { db, pii } = c.get("services");
    const agent = await createAgent(db, {
      tenantId: key.tenantId,
      actor: { userId: null, ip: null },
      pii,
      ...agentColumns(c.req.valid("json")),
    });
    return c.json(agentJson(agent), 201);
  } catch (err) {
    if (err instanceof PlanLimitError) throw new ApiError("FORBIDDEN", err.message);
    throw err;
  }
});
