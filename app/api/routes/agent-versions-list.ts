import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { listAgentVersions } from "../../../db/queries/agent-versions";
import { getAgent } from "../../../db/queries/agents";
import type { agents } from "../../../db/schema";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { AgentSchema, agentJson, IdParam } from "../schemas";

export const AgentVersionSchema = z
  .object({
    version: z.number().int(),
    createdAt: z.string(),
    createdBy: z.uuid().nullable().openapi({ description: "The member who saved it; null for an API key" }),
    restoredFrom: z.number().int().nullable(),
    settings: AgentSchema.omit({ id: true, version: true, createdAt: true }),
  })
  .openapi("AgentVersion");

const route = createRoute({
  method: "get",
  path: "/agents/{id}/versions",
  summary: "An agent's versions, newest first: every saved change, with the settings it held",
  security: [{ apiKey: [] }],
  middleware: [requireScope("agents:read")] as const,
  request: { params: IdParam },
  responses: {
    200: {
      description: "The versions",
      content: { "application/json": { schema: z.object({ data: z.array(AgentVersionSchema) }) } },
    },
    ...errorResponses,
  },
});

export const agentVersionsList = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db } = c.get("services");
  const tenantId = c.get("key").tenantId;
  const agent = await getAgent(db, { id: c.req.valid("param").id, tenantId });
  if (!agent) throw new ApiError("NOT_FOUND", "No such agent.");
  const versions = await listAgentVersions(db, { agentId: agent.id, tenantId });
  const data = versions.map((v) => {
    const {
      id: _,
      version: __,
      createdAt: ___,
      ...settings
    } = agentJson({
      ...agent,
      analysisPlan: {},
      knowledgeBaseIds: [],
      retrievalMode: "auto",
      ...(v.settings as Partial<typeof agents.$inferSelect>),
    });
    return {
      version: v.version,
      createdAt: v.createdAt.toISOString(),
      createdBy: v.createdBy,
      restoredFrom: v.restoredFrom,
      settings,
    };
  });
  return c.json({ data }, 200);
});
