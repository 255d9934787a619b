import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { destroySession } from "~/utils/session.server";

export async function action({ request }: ActionFunctionArgs) {
  return redirect("/login", { headers: { "set-cookie": await destroySession(request) } });
}

export const loader = () => redirect("/");
