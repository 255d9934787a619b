import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { revokeInvitation } from "../../db/queries/invitations";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { orNotFound } from "../../db/lookup";

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenantId, actor } = await requirePermission(request, "member:manage");
  const revoked = await orNotFound(revokeInvitation(db, { id: params.invitationId ?? "", tenantId, actor }));
  if (!revoked) throw new Response("Invitation not found", { status: 404 });
  return redirect("/settings/team");
}
