import { redirect } from "@remix-run/node";
import { listMemberships } from "../../db/queries/accounts";
import { db } from "./db.server";
import { type Action, can } from "./permissions";
import { getSession } from "./session.server";

export async function getUser(request: Request) {
  return (await getSession(request))?.user ?? null;
}

/** The signed-in user, or a redirect to the login page that comes back here afterwards. */
export async function requireUser(request: Request) {
  const session = await getSession(request);
  if (!session) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return session;
}

/** The user, their current tenant and role there; a user with no tenant is sent to sign-up. */
export async function requireTenant(request: Request) {
  const { user, session } = await requireUser(request);
  const memberships = await listMemberships(db, user.id);
  const current = memberships.find((m) => m.tenantId === session.activeTenantId) ?? memberships[0];
  if (!current) throw redirect("/signup");
  return { user, tenantId: current.tenantId, tenantName: current.tenantName, role: current.role };
}

/** Like `requireTenant`, and throws 403 unless the role allows `action`. */
export async function requirePermission(request: Request, action: Action) {
  const ctx = await requireTenant(request);
  if (!can(ctx.role, action)) throw new Response("You do not have permission to do that.", { status: 403 });
  return ctx;
}

export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/agents") {
  if (!to || typeof to !== "string" || !to.startsWith("/") || to.startsWith("//")) return fallback;
  return to;
}
