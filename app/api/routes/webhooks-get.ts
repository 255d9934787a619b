import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { getWebhookEndpoint } from "../../../db/queries/webhook-endpoints";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { IdParam, WebhookEndpointSchema, webhookEndpointJson } from "../schemas";

const route = createRoute({
  method: "get",
  path: "/webhooks/{id}",
  summary: "Get a webhook endpoint",
  security: [{ apiKey: [] }],
  middleware: [requireScope("webhooks:read")] as const,
  request: { params: IdParam },
  responses: {
    200: { description: "The endpoint", content: { "application/json": { schema: WebhookEndpointSchema } } },
    ...errorResponses,
  },
});

export const webhooksGet = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db, pii } = c.get("services");
  const endpoint = await getWebhookEndpoint(db, pii, { tenantId: c.get("key").tenantId, id: c.req.valid("param").id });
  if (!endpoint) throw new ApiError("NOT_FOUND", "No such webhook endpoint.");
  return c.json(webhookEndpointJson(endpoint), 200);
});
