import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { deleteAgent } from "../../../db/queries/agents";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { IdParam } from "../schemas";

const route = createRoute({
  method: "delete",
  path: "/agents/{id}",
  summary: "Delete an agent (its calls keep their history)",
  security: [{ apiKey: [] }],
  middleware: [requireScope("agents:write")] as const,
  request: { params: IdParam },
  responses: {
    200: {
      description: "Deleted",
      content: { "application/json": { schema: z.object({ id: z.uuid(), deleted: z.literal(true) }) } },
    },
    ...errorResponses,
  },
});

export const agentsDelete = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { id } = c.req.valid("param");
  if (
    !(await deleteAgent(c.get("services").db, {
      id,
      tenantId: c.get("key").tenantId,
      actor: { userId: null, ip: null },
    }))
  )
    throw new ApiError("NOT_FOUND", "No such agent.");
  return c.json({ id, deleted: true as const }, 200);
});
