import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { CampaignInputError, createCampaign } from "../../../db/queries/campaigns";
import { readCampaignCsv } from "../../telephony/campaign-csv.server";
import { campaignSchema } from "../../utils/campaign-form";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { CampaignSchema, campaignJson } from "../schemas";

const body = z.object({
  settings: campaignSchema,
  /** The portal's CSV format: a `phone` column, optional `timezone`, every other column a variable. */
  csv: z.string().min(1).max(250_000).openapi({ example: "phone,name\n+14155550100,Ada\n" }),
});
const route = createRoute({
  method: "post",
  path: "/campaigns",
  summary: "Create a campaign from CSV rows (it starts running in its calling window)",
  security: [{ apiKey: [] }],
  middleware: [requireScope("calls:write")] as const,
  request: { body: { content: { "application/json": { schema: body } }, required: true } },
  responses: {
    201: { description: "The campaign", content: { "application/json": { schema: CampaignSchema } } },
    ...errorResponses,
  },
});

export const campaignsCreate = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db, pii, telephony } = c.get("services");
  const tenantId = c.get("key").tenantId;
  const { settings, csv } = c.req.valid("json");
  const { rows, errors } = await readCampaignCsv(telephony, {
    tenantId,
    text: csv,
    defaultTimezone: settings.defaultTimezone,
  });
  if (errors.length)
    throw new ApiError(
      "BAD_REQUEST",
      `csv: ${errors.slice(0, 5).join("; ")}${errors.length > 5 ? `; and ${errors.length - 5} more` : ""}. Nothing was created.`,
    );
  try {
    const created = await createCampaign(db, pii, { tenantId, settings, rows });
    return c.json(
      campaignJson({
        ...created,
        progress: { total: rows.length, open: rows.filter((r) => !r.doNotCall).length, by: {} },
      }),
      201,
    );
  } catch (err) {
    if (err instanceof CampaignInputError) throw new ApiError("BAD_REQUEST", err.message);
    throw err;
  }
});
