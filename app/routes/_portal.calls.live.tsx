import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { formatDateTime } from "~/utils/format";
import { listLiveCalls } from "../../db/queries/live-calls";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "call:read");
  const calls = await listLiveCalls(db(), { tenantId });
  return {
    calls: calls.map((c) => ({
      ...c,
      startedAt: c.startedAt?.toISOString() ?? null,
      createdAt: c.createdAt.toISOString(),
    })),
  };
}

/** The team's calls happening now; refreshed every few seconds while the page is open. */
export default function LiveCalls() {
  const { calls } = useLoaderData<typeof loader>();
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    const timer = setInterval(() => state === "idle" && document.visibilityState === "visible" && revalidate(), 3000);
    return () => clearInterval(timer);
  }, [revalidate, state]);
  return (
    <>
      <h1>Live calls</h1>
      <p>
        <Link to="/calls">All calls</Link>. Open a call to follow its transcript as it happens and, as an admin, to end
        it.
      </p>
      {calls.length === 0 ? (
        <p className="muted">No calls right now.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Started</th>
              <th>Agent</th>
              <th>Channel</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {calls.map((c) => (
              <tr key={c.id} data-testid="live-call-row">
                <td>
                  <Link to={`/calls/${c.id}`}>{formatDateTime(c.startedAt ?? c.createdAt)}</Link>
                </td>
                <td>{c.agentName ?? "deleted agent"}</td>
                <td>{c.direction === "web" ? `Web: ${c.origin ?? "widget"}` : c.direction}</td>
                <td>{c.status === "ringing" ? "ringing" : "in progress"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
