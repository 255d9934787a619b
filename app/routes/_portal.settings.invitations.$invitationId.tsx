import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { requireIdParam } from "~/utils/params.server";
import { revokeInvitation } from "../../db/queries/invitations";

const notFound = () => new Response("Invitation not found", { status: 404 });

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenantId, actor } = await requirePermission(request, "member:manage");
  const revoked = await revokeInvitation(db(), {
    id: requireIdParam(params, "invitationId", notFound),
    tenantId,
    actor,
  });
  if (!revoked) throw notFound();
  return redirect("/settings/team");
}
