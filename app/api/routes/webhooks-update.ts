import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { updateWebhookEndpoint } from "../../../db/queries/webhook-endpoints";
import { endpointUpdateSchema } from "../../utils/webhook-form";
import { destinationProblem } from "../../webhooks/endpoints.server";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { IdParam, WebhookEndpointSchema, webhookEndpointJson } from "../schemas";

const route = createRoute({
  method: "patch",
  path: "/webhooks/{id}",
  summary: "Change a webhook endpoint's URL or events, or turn it on or off (on again clears why it was off)",
  security: [{ apiKey: [] }],
  middleware: [requireScope("webhooks:write")] as const,
  request: {
    params: IdParam,
    body: { content: { "application/json": { schema: endpointUpdateSchema } }, required: true },
  },
  responses: {
    200: { description: "The endpoint", content: { "application/json": { schema: WebhookEndpointSchema } } },
    ...errorResponses,
  },
});

export const webhooksUpdate = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db, pii, webhooks } = c.get("services");
  const changes = c.req.valid("json");
  const problem = changes.url === undefined ? null : await destinationProblem(changes.url, webhooks);
  if (problem) throw new ApiError("BAD_REQUEST", `url: ${problem}`);
  const updated = await updateWebhookEndpoint(db, pii, {
    tenantId: c.get("key").tenantId,
    id: c.req.valid("param").id,
    actor: { userId: null, ip: null },
    ...changes,
  });
  if (!updated) throw new ApiError("NOT_FOUND", "No such webhook endpoint.");
  return c.json(webhookEndpointJson(updated), 200);
});
