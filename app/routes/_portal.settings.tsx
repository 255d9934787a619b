import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { requireTenant } from "~/utils/auth.server";
import { can } from "~/utils/permissions";

export async function loader({ request }: LoaderFunctionArgs) {
  const { role } = await requireTenant(request);
  return {
    canKeys: can(role, "api_key:manage"),
    canAudit: can(role, "audit:read"),
    canWebhooks: can(role, "webhook:manage"),
    canProviders: can(role, "provider:manage"),
    canRecordings: can(role, "recording:manage"),
    canBilling: can(role, "billing:manage"),
  };
}

export default function Settings() {
  const { canKeys, canAudit, canWebhooks, canProviders, canRecordings, canBilling } = useLoaderData<typeof loader>();
  return (
    <>
      <nav className="tabs" aria-label="Settings">
        <NavLink to="/settings/account">Account</NavLink>
        <NavLink to="/settings/security">Two-factor</NavLink>
        <NavLink to="/settings/team">Team</NavLink>
        {canBilling && <NavLink to="/settings/billing">Billing</NavLink>}
        {canKeys && <NavLink to="/settings/api-keys">API keys</NavLink>}
        {canWebhooks && <NavLink to="/settings/webhooks">Webhooks</NavLink>}
        {canProviders && <NavLink to="/settings/providers">Provider keys</NavLink>}
        {canRecordings && <NavLink to="/settings/recordings">Recordings</NavLink>}
        {canAudit && <NavLink to="/settings/audit">Audit log</NavLink>}
        <NavLink to="/teams/new">New team</NavLink>
      </nav>
      <Outlet />
    </>
  );
}
