import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { changeRole, getMember } from "../../../db/queries/members";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { IdParam, MemberSchema } from "../schemas";

const route = createRoute({
  method: "patch",
  path: "/members/{id}",
  summary: "Change a member's role (an API key acts as an admin: owners are changed in the portal)",
  security: [{ apiKey: [] }],
  middleware: [requireScope("members:write")] as const,
  request: {
    params: IdParam,
    body: {
      content: { "application/json": { schema: z.object({ role: z.enum(["admin", "member", "viewer"]) }) } },
      required: true,
    },
  },
  responses: {
    200: { description: "The member", content: { "application/json": { schema: MemberSchema } } },
    ...errorResponses,
  },
});

export const membersUpdate = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db } = c.get("services");
  const tenantId = c.get("key").tenantId;
  const id = c.req.valid("param").id;
  const member = await getMember(db, { id, tenantId });
  if (!member) throw new ApiError("NOT_FOUND", "No such member.");
  if (member.role === "owner") throw new ApiError("FORBIDDEN", "Owners are changed in the portal, by an owner.");
  await changeRole(db, { id, tenantId, role: c.req.valid("json").role, actor: { userId: null, ip: null } });
  const after = (await getMember(db, { id, tenantId }))!;
  return c.json(
    { id: after.id, name: after.name, email: after.email, role: after.role, createdAt: member.createdAt.toISOString() },
    200,
  );
});
