import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { getCampaign, setCampaignStatus } from "../../../db/queries/campaigns";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { CampaignSchema, campaignJson, IdParam } from "../schemas";

const route = createRoute({
  method: "post",
  path: "/campaigns/{id}/status",
  summary: "Pause, resume or cancel a campaign (cancelling gives up the rows not yet dialled)",
  security: [{ apiKey: [] }],
  middleware: [requireScope("calls:write")] as const,
  request: {
    params: IdParam,
    body: {
      content: { "application/json": { schema: z.object({ status: z.enum(["running", "paused", "cancelled"]) }) } },
      required: true,
    },
  },
  responses: {
    200: { description: "The campaign", content: { "application/json": { schema: CampaignSchema } } },
    ...errorResponses,
  },
});

export const campaignsStatus = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db, pii } = c.get("services");
  const tenantId = c.get("key").tenantId;
  const { id } = c.req.valid("param");
  const changed = await setCampaignStatus(db, { tenantId, id, status: c.req.valid("json").status });
  const campaign = await getCampaign(db, pii, { tenantId, id });
  if (!campaign) throw new ApiError("NOT_FOUND", "No such campaign.");
  if (!changed) throw new ApiError("BAD_REQUEST", `The campaign is ${campaign.status}: it cannot change any more.`);
  return c.json(campaignJson(campaign), 200);
});
