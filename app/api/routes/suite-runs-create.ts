import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { createRun, getRun, getSuite } from "../../../db/queries/test-suites";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { IdParam } from "../schemas";
import { TestRunSchema, testRunJson, VersionBody } from "../test-run-schema";

const route = createRoute({
  method: "post",
  path: "/suites/{id}/runs",
  summary: "Run a test suite against a version of its agent (queued; poll the run)",
  security: [{ apiKey: [] }],
  middleware: [requireScope("agents:write")] as const,
  request: { params: IdParam, body: { content: { "application/json": { schema: VersionBody } }, required: false } },
  responses: {
    201: { description: "The run, queued", content: { "application/json": { schema: TestRunSchema } } },
    ...errorResponses,
  },
});

export const suiteRunsCreate = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db } = c.get("services");
  const tenantId = c.get("key").tenantId;
  const suite = await getSuite(db, { tenantId, id: c.req.valid("param").id });
  if (!suite) throw new ApiError("NOT_FOUND", "No such suite.");
  const body = await c.req.json().catch(() => ({}));
  const version = VersionBody.safeParse(body ?? {});
  if (!version.success) throw new ApiError("BAD_REQUEST", "version is a whole number from 1.");
  const run = await createRun(db, {
    tenantId,
    agentId: suite.agentId,
    suiteId: suite.id,
    version: version.data.version,
  });
  if (!run) throw new ApiError("NOT_FOUND", "No such version of the suite's agent.");
  return c.json(testRunJson((await getRun(db, { tenantId, id: run.id }))!), 201);
});
