import { redirect } from "@remix-run/node";
import { addLogFields } from "../../core/telemetry";
import { listMemberships } from "../../db/queries/accounts";
import type { Actor } from "../../db/queries/audit";
import { db } from "./db.server";
import { type Action, can } from "./permissions";
import { clientIp } from "./request.server";
import { getSession } from "./session.server";

/** The signed-in user if fully signed in (password and, if enabled, second factor). */
export async function getUser(request: Request) {
  const s = await getSession(request);
  return s && !s.session.twoFactorPending ? s.user : null;
}

/** The signed-in user, or a redirect to log in (or to finish two-factor) that comes back here. */
export async function requireUser(request: Request) {
  const s = await getSession(request);
  const url = new URL(request.url);
  if (!s) throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  if (s.session.twoFactorPending) throw redirect("/login/two-factor");
  return s;
}

/** Like `requireUser`, and the email address must be verified. */
export async function requireVerifiedUser(request: Request) {
  const s = await requireUser(request);
  if (!s.user.emailVerifiedAt) throw redirect("/verify-email");
  return s;
}

/** The user, their current tenant and role there, and the actor for the audit log. */
export async function requireTenant(request: Request) {
  const { user, session } = await requireVerifiedUser(request);
  const tenants = await listMemberships(db(), user.id);
  const current = tenants.find((m) => m.tenantId === session.activeTenantId) ?? tenants[0];
  if (!current) throw redirect("/teams/new");
  addLogFields({ tenantId: current.tenantId });
  const actor: Actor = { userId: user.id, ip: clientIp(request) };
  return {
    user,
    session,
    tenants,
    tenantId: current.tenantId,
    tenantName: current.tenantName,
    role: current.role,
    actor,
  };
}

/** Like `requireTenant`, and throws 403 unless the role allows `action`. */
export async function requirePermission(request: Request, action: Action) {
  const ctx = await requireTenant(request);
  if (!can(ctx.role, action)) throw new Response("You do not have permission to do that.", { status: 403 });
  return ctx;
}

export { safeRedirect } from "./safe-redirect";
