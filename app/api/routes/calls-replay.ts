import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { getCall } from "../../../db/queries/calls";
import { createRun, getRun } from "../../../db/queries/test-suites";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { IdParam } from "../schemas";
import { TestRunSchema, testRunJson, VersionBody } from "../test-run-schema";

const route = createRoute({
  method: "post",
  path: "/calls/{id}/replay",
  summary: "Replay a call's caller turns against a version of its agent (queued; poll the run)",
  security: [{ apiKey: [] }],
  middleware: [requireScope("agents:write")] as const,
  request: { params: IdParam, body: { content: { "application/json": { schema: VersionBody } }, required: false } },
  responses: {
    201: { description: "The replay, queued", content: { "application/json": { schema: TestRunSchema } } },
    ...errorResponses,
  },
});

export const callsReplay = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db, pii } = c.get("services");
  const tenantId = c.get("key").tenantId;
  const call = await getCall(db, pii, { tenantId, id: c.req.valid("param").id });
  if (!call?.agentId) throw new ApiError("NOT_FOUND", "No such call (or its agent was deleted).");
  const version = VersionBody.safeParse((await c.req.json().catch(() => ({}))) ?? {});
  if (!version.success) throw new ApiError("BAD_REQUEST", "version is a whole number from 1.");
  const run = await createRun(db, {
    tenantId,
    agentId: call.agentId,
    replayOfCallId: call.id,
    version: version.data.version,
  });
  if (!run) throw new ApiError("NOT_FOUND", "No such version of the call's agent.");
  return c.json(testRunJson((await getRun(db, { tenantId, id: run.id }))!), 201);
});
