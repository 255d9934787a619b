import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { searchNumbers } from "../../telephony/numbers.server";
import { searchSchema } from "../../utils/number-form";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { errorResponses } from "../errors";
import { telephonyCall } from "../telephony";

const route = createRoute({
  method: "get",
  path: "/numbers/available",
  summary: "Search numbers available to buy",
  security: [{ apiKey: [] }],
  middleware: [requireScope("numbers:read")] as const,
  request: { query: searchSchema },
  responses: {
    200: {
      description: "Numbers that can be bought now",
      content: {
        "application/json": {
          schema: z.object({ data: z.array(z.object({ e164: z.string(), locality: z.string(), region: z.string() })) }),
        },
      },
    },
    ...errorResponses,
  },
});

export const numbersSearch = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { telephony } = c.get("services");
  const found = await telephonyCall(() => searchNumbers(telephony, c.req.valid("query")));
  return c.json({ data: found }, 200);
});
