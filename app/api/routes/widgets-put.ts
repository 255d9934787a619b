import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { getAgent } from "../../../db/queries/agents";
import { saveWidget } from "../../../db/queries/widgets";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { IdParam, WidgetInputSchema, WidgetSchema, widgetJson } from "../schemas";

const route = createRoute({
  method: "put",
  path: "/agents/{id}/widget",
  summary: "Create or change the agent's website widget (the publishable key is made once and kept)",
  security: [{ apiKey: [] }],
  middleware: [requireScope("agents:write")] as const,
  request: {
    params: IdParam,
    body: { content: { "application/json": { schema: WidgetInputSchema } }, required: true },
  },
  responses: {
    200: { description: "The widget", content: { "application/json": { schema: WidgetSchema } } },
    ...errorResponses,
  },
});

export const widgetsPut = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db, telephony } = c.get("services");
  const tenantId = c.get("key").tenantId;
  const agentId = c.req.valid("param").id;
  if (!(await getAgent(db, { id: agentId, tenantId }))) throw new ApiError("NOT_FOUND", "No such agent.");
  const widget = await saveWidget(db, {
    tenantId,
    agentId,
    actor: { userId: null, ip: null },
    settings: c.req.valid("json"),
  });
  return c.json(widgetJson(widget, telephony.edgeUrl), 200);
});
