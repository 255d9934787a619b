import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { listMembers } from "../../../db/queries/members";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { errorResponses } from "../errors";
import { MemberSchema } from "../schemas";

const route = createRoute({
  method: "get",
  path: "/members",
  summary: "The team's members and their roles",
  security: [{ apiKey: [] }],
  middleware: [requireScope("members:read")] as const,
  responses: {
    200: {
      description: "Members",
      content: { "application/json": { schema: z.object({ data: z.array(MemberSchema) }) } },
    },
    ...errorResponses,
  },
});

export const membersList = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const rows = await listMembers(c.get("services").db, { tenantId: c.get("key").tenantId });
  return c.json(
    {
      data: rows.map((m) => ({
        id: m.id,
        name: m.name,
        email: m.email,
        role: m.role,
        createdAt: m.createdAt.toISOString(),
      })),
    },
    200,
  );
});
