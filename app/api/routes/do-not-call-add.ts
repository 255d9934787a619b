import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { PHONE_INPUT_MAX, parseTypedPhone } from "../../../core/phone";
import { addDoNotCall } from "../../../db/queries/outbound-calls";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";

const route = createRoute({
  method: "post",
  path: "/do-not-call",
  summary: "Add a number to the do-not-call list (adding it twice changes nothing)",
  security: [{ apiKey: [] }],
  middleware: [requireScope("numbers:write")] as const,
  request: {
    body: {
      content: {
        "application/json": {
          schema: z.object({ number: z.string().max(PHONE_INPUT_MAX).openapi({ example: "+14155550100" }) }),
        },
      },
      required: true,
    },
  },
  responses: {
    201: { description: "Listed", content: { "application/json": { schema: z.object({ e164: z.string() }) } } },
    ...errorResponses,
  },
});

export const doNotCallAdd = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db, pii } = c.get("services");
  const parsed = parseTypedPhone(c.req.valid("json").number);
  if ("error" in parsed) throw new ApiError("BAD_REQUEST", `number: ${parsed.error}`);
  await addDoNotCall(db, pii, { tenantId: c.get("key").tenantId, e164: parsed.e164 });
  return c.json({ e164: parsed.e164 }, 201);
});
