import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { listDeliveries } from "../../../db/queries/webhook-deliveries";
import { getWebhookEndpoint } from "../../../db/queries/webhook-endpoints";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { IdParam, WebhookDeliverySchema, webhookDeliveryJson } from "../schemas";

const route = createRoute({
  method: "get",
  path: "/webhooks/{id}/deliveries",
  summary: "The endpoint's latest deliveries, newest first",
  security: [{ apiKey: [] }],
  middleware: [requireScope("webhooks:read")] as const,
  request: { params: IdParam, query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) }) },
  responses: {
    200: {
      description: "Deliveries",
      content: { "application/json": { schema: z.object({ data: z.array(WebhookDeliverySchema) }) } },
    },
    ...errorResponses,
  },
});

export const webhookDeliveriesList = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db, pii } = c.get("services");
  const tenantId = c.get("key").tenantId;
  const endpointId = c.req.valid("param").id;
  if (!(await getWebhookEndpoint(db, pii, { tenantId, id: endpointId })))
    throw new ApiError("NOT_FOUND", "No such webhook endpoint.");
  const rows = await listDeliveries(db, { tenantId, endpointId, limit: c.req.valid("query").limit });
  return c.json({ data: rows.map(webhookDeliveryJson) }, 200);
});
