import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { listCampaigns } from "../../../db/queries/campaigns";
import { CursorError, maxPageSize } from "../../../db/queries/keyset";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { CampaignSchema, campaignJson } from "../schemas";

const route = createRoute({
  method: "get",
  path: "/campaigns",
  summary: "List campaigns with their progress",
  security: [{ apiKey: [] }],
  middleware: [requireScope("calls:read")] as const,
  request: {
    query: z.object({
      cursor: z.string().max(400).optional().openapi({ description: "`nextCursor` of the previous page" }),
    }),
  },
  responses: {
    200: {
      description: "Campaigns, newest first, 100 a page",
      content: {
        "application/json": { schema: z.object({ data: z.array(CampaignSchema), nextCursor: z.string().nullable() }) },
      },
    },
    ...errorResponses,
  },
});

export const campaignsList = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { cursor } = c.req.valid("query");
  const page = await listCampaigns(c.get("services").db, {
    tenantId: c.get("key").tenantId,
    cursor,
    limit: maxPageSize,
  }).catch((err) => {
    if (err instanceof CursorError) throw new ApiError("BAD_REQUEST", `cursor: ${err.message}`);
    throw err;
  });
  return c.json({ data: page.campaigns.map(campaignJson), nextCursor: page.nextCursor }, 200);
});
