import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { deleteWebhookEndpoint } from "../../../db/queries/webhook-endpoints";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { IdParam } from "../schemas";

const route = createRoute({
  method: "delete",
  path: "/webhooks/{id}",
  summary: "Delete a webhook endpoint and its delivery log",
  security: [{ apiKey: [] }],
  middleware: [requireScope("webhooks:write")] as const,
  request: { params: IdParam },
  responses: {
    200: {
      description: "Deleted",
      content: { "application/json": { schema: z.object({ id: z.uuid(), deleted: z.literal(true) }) } },
    },
    ...errorResponses,
  },
});

export const webhooksDelete = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const id = c.req.valid("param").id;
  if (
    !(await deleteWebhookEndpoint(c.get("services").db, {
      tenantId: c.get("key").tenantId,
      id,
      actor: { userId: null, ip: null },
    }))
  )
    throw new ApiError("NOT_FOUND", "No such webhook endpoint.");
  return c.json({ id, deleted: true as const }, 200);
});
