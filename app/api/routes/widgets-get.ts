import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { getAgent } from "../../../db/queries/agents";
import { getWidget } from "../../../db/queries/widgets";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { IdParam, WidgetSchema, widgetJson } from "../schemas";

const route = createRoute({
  method: "get",
  path: "/agents/{id}/widget",
  summary: "The agent's website widget: its settings, publishable key and embed snippet",
  security: [{ apiKey: [] }],
  middleware: [requireScope("agents:read")] as const,
  request: { params: IdParam },
  responses: {
    200: { description: "The widget", content: { "application/json": { schema: WidgetSchema } } },
    ...errorResponses,
  },
});

export const widgetsGet = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db, telephony } = c.get("services");
  const tenantId = c.get("key").tenantId;
  const agentId = c.req.valid("param").id;
  const widget = (await getAgent(db, { id: agentId, tenantId })) && (await getWidget(db, { tenantId, agentId }));
  if (!widget) throw new ApiError("NOT_FOUND", "No widget for that agent (PUT one first).");
  return c.json(widgetJson(widget, telephony.edgeUrl), 200);
});
