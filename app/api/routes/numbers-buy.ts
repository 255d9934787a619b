import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { buyNumber } from "../../telephony/numbers.server";
import { buySchema } from "../../utils/number-form";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { errorResponses } from "../errors";
import { NumberSchema, numberJson } from "../schemas";
import { apiTenant, telephonyCall } from "../telephony";

const route = createRoute({
  method: "post",
  path: "/numbers",
  summary: "Buy a number (set up for calls at once)",
  security: [{ apiKey: [] }],
  middleware: [requireScope("numbers:write")] as const,
  request: { body: { content: { "application/json": { schema: buySchema } }, required: true } },
  responses: {
    201: { description: "The number, now the team's", content: { "application/json": { schema: NumberSchema } } },
    ...errorResponses,
  },
});

export const numbersBuy = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db, telephony } = c.get("services");
  const tenant = await apiTenant(db, c.get("key").tenantId);
  const bought = await telephonyCall(() => buyNumber(telephony, { ...tenant, ...c.req.valid("json") }));
  return c.json(numberJson(bought), 201);
});
