import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { listCampaigns } from "../../../db/queries/campaigns";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { errorResponses } from "../errors";
import { CampaignSchema, campaignJson } from "../schemas";

const route = createRoute({
  method: "get",
  path: "/campaigns",
  summary: "List campaigns with their progress",
  security: [{ apiKey: [] }],
  middleware: [requireScope("calls:read")] as const,
  responses: {
    200: {
      description: "Campaigns, newest first",
      content: { "application/json": { schema: z.object({ data: z.array(CampaignSchema) }) } },
    },
    ...errorResponses,
  },
});

export const campaignsList = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const rows = await listCampaigns(c.get("services").db, { tenantId: c.get("key").tenantId });
  return c.json({ data: rows.map(campaignJson) }, 200);
});
