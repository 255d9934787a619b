import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatMicros } from "../../core/money";
import { listCalls } from "../../db/queries/calls";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { pii } from "~/utils/pii.server";
import { formatDuration } from "~/utils/format";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "call:read");
  const from = new URL(request.url).searchParams.get("from")?.trim() || undefined;
  const calls = await listCalls(db, pii, { tenantId, from });
  return {
    from: from ?? "",
    calls: calls.map((c) => ({
      ...c,
      createdAt: c.createdAt.toISOString(),
      cost: c.costMicros == null ? null : formatMicros(c.costMicros),
      costMicros: undefined,
    })),
  };
}

export default function Calls() {
  const { calls, from } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Calls</h1>
      <Form method="get" className="filters">
        <label htmlFor="from">Caller number</label>
        <input id="from" name="from" type="tel" defaultValue={from} placeholder="+14155550100" />
        <button type="submit">Find</button>
      </Form>
      {calls.length === 0 ? (
        <p className="muted">No calls yet.</p>
      ) : (
        <table>
          <thead>
            <tr><th>When</th><th>Agent</th><th>From</th><th>Status</th><th>Duration</th><th>Cost</th></tr>
          </thead>
          <tbody>
            {calls.map((c) => (
              <tr key={c.id}>
                <td><Link to={`/calls/${c.id}`}>{new Date(c.createdAt).toLocaleString("en-US", { timeZone: "UTC" })}</Link></td>
                <td>{c.agentName ?? <span className="muted">deleted agent</span>}</td>
                <td data-testid="call-from">{c.direction === "web" ? `Web: ${c.origin ?? "widget"}` : c.fromNumber}</td>
                <td>{c.status}</td>
                <td data-testid="call-duration">{formatDuration(c.durationSeconds)}</td>
                <td>{c.cost ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
