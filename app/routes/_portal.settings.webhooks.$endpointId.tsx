import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { deleteWebhookEndpoint } from "../../db/queries/webhook-endpoints";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenantId, actor } = await requirePermission(request, "webhook:manage");
  if (!(await deleteWebhookEndpoint(db, { id: params.endpointId ?? "", tenantId, actor }).catch(() => false))) {
    throw new Response("Webhook endpoint not found", { status: 404 });
  }
  return redirect("/settings/webhooks");
}
