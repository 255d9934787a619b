import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { listWebhookEndpoints } from "../../../db/queries/webhook-endpoints";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { errorResponses } from "../errors";
import { WebhookEndpointSchema, webhookEndpointJson } from "../schemas";

const route = createRoute({
  method: "get",
  path: "/webhooks",
  summary: "List webhook endpoints",
  security: [{ apiKey: [] }],
  middleware: [requireScope("webhooks:read")] as const,
  responses: {
    200: {
      description: "The endpoints",
      content: { "application/json": { schema: z.object({ data: z.array(WebhookEndpointSchema) }) } },
    },
    ...errorResponses,
  },
});

export const webhooksList = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db, pii } = c.get("services");
  const endpoints = await listWebhookEndpoints(db, pii, { tenantId: c.get("key").tenantId });
  return c.json({ data: endpoints.map(webhookEndpointJson) }, 200);
});
