import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { getMember, removeMember } from "../../../db/queries/members";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { IdParam } from "../schemas";

const route = createRoute({
  method: "delete",
  path: "/members/{id}",
  summary: "Remove a member (their sessions in this team end at once); owners are removed in the portal",
  security: [{ apiKey: [] }],
  middleware: [requireScope("members:write")] as const,
  request: { params: IdParam },
  responses: {
    200: {
      description: "Removed",
      content: { "application/json": { schema: z.object({ id: z.uuid(), removed: z.literal(true) }) } },
    },
    ...errorResponses,
  },
});

export const membersRemove = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db } = c.get("services");
  const tenantId = c.get("key").tenantId;
  const id = c.req.valid("param").id;
  const member = await getMember(db, { id, tenantId });
  if (!member) throw new ApiError("NOT_FOUND", "No such member.");
  if (member.role === "owner") throw new ApiError("FORBIDDEN", "Owners are removed in the portal, by an owner.");
  await removeMember(db, { id, tenantId, actor: { userId: null, ip: null } });
  return c.json({ id, removed: true as const }, 200);
});
