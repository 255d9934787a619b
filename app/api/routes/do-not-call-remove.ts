import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { removeDoNotCall } from "../../../db/queries/outbound-calls";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { IdParam } from "../schemas";

const route = createRoute({
  method: "delete",
  path: "/do-not-call/{id}",
  summary: "Take a number off the do-not-call list",
  security: [{ apiKey: [] }],
  middleware: [requireScope("numbers:write")] as const,
  request: { params: IdParam },
  responses: {
    200: {
      description: "Removed",
      content: { "application/json": { schema: z.object({ id: z.uuid(), removed: z.literal(true) }) } },
    },
    ...errorResponses,
  },
});

export const doNotCallRemove = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const id = c.req.valid("param").id;
  const removed = await removeDoNotCall(c.get("services").db, { tenantId: c.get("key").tenantId, id });
  if (!removed.length) throw new ApiError("NOT_FOUND", "No such entry.");
  return c.json({ id, removed: true as const }, 200);
});
