import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { resendDelivery } from "../../../db/queries/webhook-deliveries";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { IdParam } from "../schemas";

const params = IdParam.extend({ deliveryId: z.uuid().openapi({ param: { name: "deliveryId", in: "path" } }) });
const route = createRoute({
  method: "post",
  path: "/webhooks/{id}/deliveries/{deliveryId}/resend",
  summary: "Send a delivery again now (one attempt, outside the retry schedule)",
  security: [{ apiKey: [] }],
  middleware: [requireScope("webhooks:write")] as const,
  request: { params },
  responses: {
    202: {
      description: "Queued",
      content: { "application/json": { schema: z.object({ id: z.uuid(), queued: z.literal(true) }) } },
    },
    ...errorResponses,
  },
});

export const webhookDeliveriesResend = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { id, deliveryId } = c.req.valid("param");
  if (
    !(await resendDelivery(c.get("services").db, { tenantId: c.get("key").tenantId, endpointId: id, id: deliveryId }))
  )
    throw new ApiError("NOT_FOUND", "No such delivery.");
  return c.json({ id: deliveryId, queued: true as const }, 202);
});
