import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { PlanLimitError } from "../../../core/billing/plans";
import { inviteeEmail } from "../../../core/invitation-input";
import { AlreadyMemberError, createInvitation } from "../../../db/queries/invitations";
import { requireScope } from "../auth";
import type { ApiEnv } from "../context";
import { ApiError, errorResponses } from "../errors";
import { apiTenant } from "../telephony";

const route = createRoute({
  method: "post",
  path: "/invitations",
  summary: "Invite someone by email (the link in the email is valid 7 days)",
  security: [{ apiKey: [] }],
  middleware: [requireScope("members:write")] as const,
  request: {
    body: {
      content: {
        "application/json": { schema: z.object({ email: inviteeEmail, role: z.enum(["admin", "member", "viewer"]) }) },
      },
      required: true,
    },
  },
  responses: {
    201: {
      description: "Invited",
      content: { "application/json": { schema: z.object({ id: z.uuid(), email: z.string(), role: z.string() }) } },
    },
    ...errorResponses,
  },
});

export const invitationsCreate = new OpenAPIHono<ApiEnv>().openapi(route, async (c) => {
  const { db, mail } = c.get("services");
  const tenantId = c.get("key").tenantId;
  const { email, role } = c.req.valid("json");
  try {
    const { id, token } = await createInvitation(db, { tenantId, email, role, actor: { userId: null, ip: null } });
    const { tenantName } = await apiTenant(db, tenantId);
    await mail.send(mail.texts.invitation(email, token, tenantName, `${tenantName} (through the API)`));
    return c.json({ id, email, role }, 201);
  } catch (err) {
    if (err instanceof AlreadyMemberError) throw new ApiError("CONFLICT", err.message);
    if (err instanceof PlanLimitError) throw new ApiError("FORBIDDEN", err.message);
    throw err;
  }
});
