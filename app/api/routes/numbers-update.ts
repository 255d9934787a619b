import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { updateNumber } from "../../../db/queries/phone-numbers";
import { updateSchema } from "../../utils/number-form";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { IdParam, NumberSchema, numberJson } from "../schemas";

const route = createRoute({
  method: "patch",
  path: "/numbers/{id}",
  summary: "Rename a number or give it to an agent (agentId null: nobody answers)",
  security: [{ apiKey: [] }],
  middleware: [requireScope("numbers:write")] as const,
  request: { params: IdParam, body: { content: { "application/json": { schema: updateSchema } }, required: true } },
  responses: {
    200: { description: "The number", content: { "application/json": { schema: NumberSchema } } },
    ...errorResponses,
  },
});

export const numbersUpdate = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const tenantId = c.get("key").tenantId;
  const row = await updateNumber(c.get("services").db, {
    tenantId,
    actor: { userId: null, ip: null },
    id: c.req.valid("param").id,
    ...c.req.valid("json"),
  });
  if (!row) throw new ApiError("NOT_FOUND", "No such number (or agent).");
  return c.json(numberJson(row), 200);
});
