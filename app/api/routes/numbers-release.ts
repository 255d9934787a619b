import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { releaseNumber } from "../../telephony/numbers.server";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { IdParam } from "../schemas";
import { telephonyCall } from "../telephony";

const route = createRoute({
  method: "delete",
  path: "/numbers/{id}",
  summary: "Release a number (bought ones go back to Twilio; imported ones are only disconnected)",
  security: [{ apiKey: [] }],
  middleware: [requireScope("numbers:write")] as const,
  request: { params: IdParam },
  responses: {
    200: {
      description: "Released",
      content: { "application/json": { schema: z.object({ id: z.uuid(), released: z.literal(true) }) } },
    },
    ...errorResponses,
  },
});

export const numbersRelease = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { telephony } = c.get("services");
  const released = await telephonyCall(() =>
    releaseNumber(telephony, {
      tenantId: c.get("key").tenantId,
      actor: { userId: null, ip: null },
      id: c.req.valid("param").id,
    }),
  );
  if (!released) throw new ApiError("NOT_FOUND", "No such number.");
  return c.json({ id: released.id, released: true as const }, 200);
});
