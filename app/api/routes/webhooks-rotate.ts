import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { rotateWebhookSecret, SECRET_OVERLAP_HOURS } from "../../../db/queries/webhook-endpoints";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { IdParam } from "../schemas";

const route = createRoute({
  method: "post",
  path: "/webhooks/{id}/rotate-secret",
  summary: `Make a new signing secret; the old one also signs for ${SECRET_OVERLAP_HOURS} hours`,
  security: [{ apiKey: [] }],
  middleware: [requireScope("webhooks:write")] as const,
  request: { params: IdParam },
  responses: {
    200: {
      description: "The new secret (shown once)",
      content: { "application/json": { schema: z.object({ secret: z.string() }) } },
    },
    ...errorResponses,
  },
});

export const webhooksRotate = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db, pii } = c.get("services");
  const rotated = await rotateWebhookSecret(db, pii, {
    tenantId: c.get("key").tenantId,
    id: c.req.valid("param").id,
    actor: { userId: null, ip: null },
  });
  if (!rotated) throw new ApiError("NOT_FOUND", "No such webhook endpoint.");
  return c.json(rotated, 200);
});
