import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { getRun } from "../../../db/queries/test-suites";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { IdParam } from "../schemas";
import { TestRunSchema, testRunJson } from "../test-run-schema";

const route = createRoute({
  method: "get",
  path: "/runs/{id}",
  summary: "A test run or replay: its status and each case's checks and transcript",
  security: [{ apiKey: [] }],
  middleware: [requireScope("agents:read")] as const,
  request: { params: IdParam },
  responses: {
    200: { description: "The run", content: { "application/json": { schema: TestRunSchema } } },
    ...errorResponses,
  },
});

export const runsGet = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const run = await getRun(c.get("services").db, { tenantId: c.get("key").tenantId, id: c.req.valid("param").id });
  if (!run) throw new ApiError("NOT_FOUND", "No such run.");
  return c.json(testRunJson(run), 200);
});
