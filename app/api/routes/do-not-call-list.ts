import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { listDoNotCall } from "../../../db/queries/outbound-calls";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { errorResponses } from "../errors";

const route = createRoute({
  method: "get",
  path: "/do-not-call",
  summary: "The team's do-not-call list (outbound calls and campaigns skip these numbers)",
  security: [{ apiKey: [] }],
  middleware: [requireScope("numbers:read")] as const,
  responses: {
    200: {
      description: "Entries",
      content: {
        "application/json": { schema: z.object({ data: z.array(z.object({ id: z.uuid(), e164: z.string() })) }) },
      },
    },
    ...errorResponses,
  },
});

export const doNotCallList = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db, pii } = c.get("services");
  return c.json({ data: await listDoNotCall(db, pii, { tenantId: c.get("key").tenantId }) }, 200);
});
