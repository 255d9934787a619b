import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { createWebhookEndpoint } from "../../../db/queries/webhook-endpoints";
import { endpointSchema } from "../../utils/webhook-form";
import { destinationProblem } from "../../webhooks/endpoints.server";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { WebhookEndpointSchema, webhookEndpointJson } from "../schemas";

const route = createRoute({
  method: "post",
  path: "/webhooks",
  summary: "Add a webhook endpoint (no events: every event); the signing secret is in this answer only",
  security: [{ apiKey: [] }],
  middleware: [requireScope("webhooks:write")] as const,
  request: { body: { content: { "application/json": { schema: endpointSchema } }, required: true } },
  responses: {
    201: {
      description: "The endpoint and its secret",
      content: { "application/json": { schema: WebhookEndpointSchema.extend({ secret: z.string() }) } },
    },
    ...errorResponses,
  },
});

export const webhooksCreate = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db, pii, webhooks } = c.get("services");
  const input = c.req.valid("json");
  const problem = await destinationProblem(input.url, webhooks);
  if (problem) throw new ApiError("BAD_REQUEST", `url: ${problem}`);
  const created = await createWebhookEndpoint(db, pii, {
    tenantId: c.get("key").tenantId,
    ...input,
    actor: { userId: null, ip: null },
  });
  return c.json({ ...webhookEndpointJson(created), secret: created.secret }, 201);
});
