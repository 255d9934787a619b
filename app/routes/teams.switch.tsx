import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { requireTenant } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { readForm } from "~/utils/form-body.server";
import { setActiveTenant } from "../../db/queries/sessions";

/** Switches the session to another of the user's teams; a team they are not in does not exist. */
export async function action({ request }: ActionFunctionArgs) {
  const { tenants, session } = await requireTenant(request);
  const wanted = String((await readForm(request)).get("tenantId") ?? "");
  if (!tenants.some((t) => t.tenantId === wanted)) throw new Response("Team not found", { status: 404 });
  await setActiveTenant(db(), session.id, wanted);
  return redirect("/home");
}
