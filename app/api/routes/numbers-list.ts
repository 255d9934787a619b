import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { listNumbers } from "../../../db/queries/phone-numbers";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { errorResponses } from "../errors";
import { NumberSchema, numberJson } from "../schemas";

const route = createRoute({
  method: "get",
  path: "/numbers",
  summary: "List the team's phone numbers",
  security: [{ apiKey: [] }],
  middleware: [requireScope("numbers:read")] as const,
  responses: {
    200: {
      description: "Numbers, oldest first",
      content: { "application/json": { schema: z.object({ data: z.array(NumberSchema) }) } },
    },
    ...errorResponses,
  },
});

export const numbersList = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const rows = await listNumbers(c.get("services").db, { tenantId: c.get("key").tenantId });
  return c.json({ data: rows.map((r) => numberJson(r.number)) }, 200);
});
