import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { cn } from "~/components/ui/cn";
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

/** A link styled as a tab: the current section underlined in the primary colour. */
function Tab({ to, children }: { to: string; children: React.ReactNode }) {
  return (
    <li>
      <NavLink
        to={to}
        className={({ isActive }) =>
          cn(
            "-mb-px block border-b-2 px-3 py-2 text-sm whitespace-nowrap no-underline hover:no-underline",
            isActive ? "border-primary font-semibold text-fg" : "border-transparent text-muted hover:text-fg",
          )
        }
      >
        {children}
      </NavLink>
    </li>
  );
}

export default function Settings() {
  const { canKeys, canAudit, canWebhooks, canProviders, canRecordings, canBilling } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="m-0 mb-2 text-sm font-medium text-muted">Settings</p>
      <nav aria-label="Settings" className="mb-6 overflow-x-auto border-b border-line">
        <ul className="m-0 flex list-none gap-1 p-0">
          <Tab to="/settings/account">Account</Tab>
          <Tab to="/settings/security">Two-factor</Tab>
          <Tab to="/settings/team">Team</Tab>
          {canBilling && <Tab to="/settings/billing">Billing</Tab>}
          {canKeys && <Tab to="/settings/api-keys">API keys</Tab>}
          {canWebhooks && <Tab to="/settings/webhooks">Webhooks</Tab>}
          {canProviders && <Tab to="/settings/providers">Provider keys</Tab>}
          {canRecordings && <Tab to="/settings/recordings">Recordings</Tab>}
          {canAudit && <Tab to="/settings/audit">Audit log</Tab>}
          <Tab to="/teams/new">New team</Tab>
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
