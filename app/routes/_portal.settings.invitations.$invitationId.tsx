import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { revokeInvitation } from "../../db/queries/invitations";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenantId, actor } = await requirePermission(request, "member:manage");
  const revoked = await revokeInvitation(db, { id: params.invitationId ?? "", tenantId, actor }).catch(() => false);
  if (!revoked) throw new Response("Invitation not found", { status: 404 });
  return redirect("/settings/team");
}
