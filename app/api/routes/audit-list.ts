import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { listAudit } from "../../../db/queries/audit";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { errorResponses } from "../errors";

const Entry = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    actorEmail: z.string().nullable(),
    ip: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
  })
  .openapi("AuditEntry");
const route = createRoute({
  method: "get",
  path: "/audit",
  summary: "The audit log, newest first (sign-ins, members, keys, agents, numbers, webhooks…)",
  security: [{ apiKey: [] }],
  middleware: [requireScope("audit:read")] as const,
  request: {
    query: z.object({
      action: z.string().max(64).optional().openapi({ description: "A prefix, like `agent.`" }),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: {
    200: { description: "Entries", content: { "application/json": { schema: z.object({ data: z.array(Entry) }) } } },
    ...errorResponses,
  },
});

export const auditList = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const rows = await listAudit(c.get("services").db, { tenantId: c.get("key").tenantId, ...c.req.valid("query") });
  return c.json(
    {
      data: rows.map((r) => ({
        ...r,
        id: String(r.id),
        createdAt: r.createdAt.toISOString(),
        metadata: (r.metadata ?? {}) as Record<string, unknown>,
      })),
    },
    200,
  );
});
