import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { requireTenant } from "~/utils/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, tenantName, role } = await requireTenant(request);
  return { user: { name: user.name, email: user.email }, tenantName, role };
}

export default function Portal() {
  const { user, tenantName } = useLoaderData<typeof loader>();
  return (
    <div className="shell">
      <nav>
        <strong>BVRAI</strong>
        <span className="muted">{tenantName}</span>
        <NavLink to="/agents">Agents</NavLink>
        <NavLink to="/calls">Calls</NavLink>
        <span className="muted" style={{ marginTop: "auto" }}>{user.email}</span>
        <Form method="post" action="/logout">
          <button type="submit">Log out</button>
        </Form>
      </nav>
      <main>
        <Outlet />
      </main>
    </div>
  );
}
