import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { restoreAgentVersion } from "../../../db/queries/agent-versions";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { AgentSchema, agentJson, IdParam } from "../schemas";

const route = createRoute({
  method: "post",
  path: "/agents/{id}/versions/{version}/restore",
  summary: "Make an old version current again (as a new version; history is kept)",
  security: [{ apiKey: [] }],
  middleware: [requireScope("agents:write")] as const,
  request: {
    params: IdParam.extend({
      version: z.coerce
        .number()
        .int()
        .min(1)
        .openapi({ param: { name: "version", in: "path" }, example: 3 }),
    }),
  },
  responses: {
    200: { description: "The agent, now at a new version", content: { "application/json": { schema: AgentSchema } } },
    ...errorResponses,
  },
});

export const agentVersionsRestore = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { id, version } = c.req.valid("param");
  const agent = await restoreAgentVersion(c.get("services").db, {
    agentId: id,
    tenantId: c.get("key").tenantId,
    version,
    actor: { userId: null, ip: null },
  });
  if (!agent) throw new ApiError("NOT_FOUND", "No such agent or version.");
  return c.json(agentJson(agent), 200);
});
