import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { requireTenant } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { graceEndsAt } from "../../core/billing/plans";
import { billingOf } from "../../db/queries/billing";

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, tenantId, tenantName, role, tenants } = await requireTenant(request);
  const standing = await billingOf(db(), { tenantId });
  return {
    /** A failing payment, shown on every page until it is paid. */
    paymentFailing: standing?.pastDueSince
      ? { refusing: graceEndsAt(standing.pastDueSince).getTime() < Date.now() }
      : null,
    user: { name: user.name, email: user.email },
    tenantId,
    tenantName,
    role,
    tenants: tenants.map((t) => ({ id: t.tenantId, name: t.tenantName })),
  };
}

export default function Portal() {
  const { user, tenantId, tenantName, role, tenants, paymentFailing } = useLoaderData<typeof loader>();
  return (
    <div className="shell">
      <nav>
        <strong>BVRAI</strong>
        {tenants.length > 1 ? (
          <Form method="post" action="/teams/switch" className="switcher">
            <label htmlFor="tenant-switch" className="sr-only">
              Team
            </label>
            <select id="tenant-switch" name="tenantId" defaultValue={tenantId}>
              {tenants.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
            <button type="submit">Switch</button>
          </Form>
        ) : (
          <span className="muted">{tenantName}</span>
        )}
        <span className="muted" data-testid="role">
          Role: {role}
        </span>
        <NavLink to="/home">Home</NavLink>
        <NavLink to="/agents">Agents</NavLink>
        <NavLink to="/knowledge">Knowledge</NavLink>
        <NavLink to="/suites">Tests</NavLink>
        <NavLink to="/calls">Calls</NavLink>
        <NavLink to="/numbers">Numbers</NavLink>
        <NavLink to="/campaigns">Campaigns</NavLink>
        <NavLink to="/usage">Usage</NavLink>
        <NavLink to="/settings">Settings</NavLink>
        <span className="muted push-down">{user.email}</span>
        <Form method="post" action="/logout">
          <button type="submit">Log out</button>
        </Form>
      </nav>
      <main>
        {paymentFailing && (
          <p className="error" role="alert" data-testid="payment-banner">
            {paymentFailing.refusing ? "New calls are refused: the last payment failed." : "The last payment failed."}{" "}
            Update the payment method under <NavLink to="/settings/billing">Settings → Billing</NavLink>; nothing is
            deleted, and calls resume as soon as it is paid.
          </p>
        )}
        <Outlet />
      </main>
    </div>
  );
}
