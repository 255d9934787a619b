import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { requireTenant } from "~/utils/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireTenant(request);
  return redirect("/settings/account");
}
