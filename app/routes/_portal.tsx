import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/ui/button";
import { cn } from "~/components/ui/cn";
import { Toaster } from "~/components/ui/toast";
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

const sections = [
  ["/home", "Home"],
  ["/agents", "Agents"],
  ["/knowledge", "Knowledge"],
  ["/suites", "Tests"],
  ["/calls", "Calls"],
  ["/numbers", "Numbers"],
  ["/campaigns", "Campaigns"],
  ["/usage", "Usage"],
  ["/settings", "Settings"],
] as const;

const navLink = ({ isActive }: { isActive: boolean }) =>
  cn(
    "block rounded-md px-3 py-1.5 text-sm whitespace-nowrap text-on-nav no-underline hover:bg-white/10 hover:no-underline",
    isActive && "bg-white/15 font-semibold",
  );

/** A sidebar on a wide screen; on a phone, a top bar whose sections scroll sideways. */
export default function Portal() {
  const { user, tenantId, tenantName, role, tenants, paymentFailing } = useLoaderData<typeof loader>();
  return (
    <Toaster>
      <div className="min-h-screen md:grid md:grid-cols-[220px_minmax(0,1fr)]">
        <nav
          aria-label="Portal"
          className="flex flex-col gap-2 bg-nav p-3 text-on-nav md:sticky md:top-0 md:h-screen md:p-4"
        >
          <div className="flex items-center justify-between gap-2 md:block">
            <strong className="text-lg tracking-tight">BVRAI</strong>
            {tenants.length > 1 ? (
              <Form method="post" action="/teams/switch" className="switcher flex gap-1 md:mt-2">
                <label htmlFor="tenant-switch" className="sr-only">
                  Team
                </label>
                <select id="tenant-switch" name="tenantId" defaultValue={tenantId} className="py-1">
                  {tenants.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
                </select>
                <Button type="submit" size="sm" variant="secondary">
                  Switch
                </Button>
              </Form>
            ) : (
              <span className="truncate text-sm text-on-nav/80 md:mt-2 md:block">{tenantName}</span>
            )}
          </div>
          <span className="hidden text-xs text-on-nav/70 md:block" data-testid="role">
            Role: {role}
          </span>
          <ul className="m-0 flex list-none gap-1 overflow-x-auto p-0 md:flex-col">
            {sections.map(([to, label]) => (
              <li key={to}>
                <NavLink to={to} className={navLink}>
                  {label}
                </NavLink>
              </li>
            ))}
          </ul>
          <div className="mt-auto hidden min-w-0 md:block">
            <p className="m-0 truncate text-xs text-on-nav/80" title={user.email}>
              {user.email}
            </p>
            <Form method="post" action="/logout">
              <Button
                type="submit"
                size="sm"
                variant="ghost"
                className="mt-1 px-0 text-on-nav hover:bg-transparent hover:underline"
              >
                Log out
              </Button>
            </Form>
          </div>
        </nav>
        <main className="mx-auto w-full max-w-6xl p-4 md:p-8">
          {paymentFailing && (
            <p
              className="banner mb-4 border-danger/50 bg-danger-soft text-danger"
              role="alert"
              data-testid="payment-banner"
            >
              {paymentFailing.refusing ? "New calls are refused: the last payment failed." : "The last payment failed."}{" "}
              Update the payment method under <NavLink to="/settings/billing">Settings → Billing</NavLink>; nothing is
              deleted, and calls resume as soon as it is paid.
            </p>
          )}
          <Outlet />
          <div className="mt-10 flex items-center justify-between gap-2 border-t border-line pt-3 text-xs text-muted md:hidden">
            <span className="truncate" title={user.email}>
              {user.email}
            </span>
            <Form method="post" action="/logout">
              <Button type="submit" size="sm" variant="secondary">
                Log out
              </Button>
            </Form>
          </div>
        </main>
      </div>
    </Toaster>
  );
}
