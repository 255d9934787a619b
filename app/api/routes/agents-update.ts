import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { agentColumns } from "../../../core/agents/agent-input";
import { getAgent, updateAgent } from "../../../db/queries/agents";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { AgentSchema, AgentUpdateSchema, agentJson, IdParam } from "../schemas";

const route = createRoute({
  method: "patch",
  path: "/agents/{id}",
  summary: "Change an agent (only the fields sent); pass `version` to refuse overwriting a newer edit",
  security: [{ apiKey: [] }],
  middleware: [requireScope("agents:write")] as const,
  request: {
    params: IdParam,
    body: { content: { "application/json": { schema: AgentUpdateSchema } }, required: true },
  },
  responses: {
    200: { description: "The agent, with its new version", content: { "application/json": { schema: AgentSchema } } },
    ...errorResponses,
  },
});

export const agentsUpdate = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db, pii } = c.get("services");
  const tenantId = c.get("key").tenantId;
  const id = c.req.valid("param").id;
  const { version, ...changes } = c.req.valid("json");
  const current = await getAgent(db, { id, tenantId });
  if (!current) throw new ApiError("NOT_FOUND", "No such agent.");
  // The required settings as they are, then whatever was sent; a setting not sent is left alone.
  const { name, systemPrompt, firstMessage, voice, model } = current;
  const settings = { name, systemPrompt, firstMessage, voice, model, ...agentColumns(changes) };
  const result = await updateAgent(db, {
    ...settings,
    id,
    tenantId,
    version: version ?? current.version,
    actor: { userId: null, ip: null },
    pii,
  });
  if (!result.ok && result.reason === "conflict")
    throw new ApiError("CONFLICT", "The agent was changed since that version; read it again and reapply your change.");
  if (!result.ok) throw new ApiError("NOT_FOUND", "No such agent.");
  return c.json(agentJson((await getAgent(db, { id, tenantId }))!), 200);
});
