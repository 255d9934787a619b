import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { formatDuration } from "~/utils/format";
import { pii } from "~/utils/pii.server";
import { answeredByValues } from "../../core/answered-by";
import { formatMicros } from "../../core/money";
import { callOutcomes, listCalls } from "../../db/queries/calls";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "call:read");
  const params = new URL(request.url).searchParams;
  const from = params.get("from")?.trim() || undefined;
  const outcome = callOutcomes.find((o) => o === params.get("outcome"));
  const answeredBy = answeredByValues.find((a) => a === params.get("answeredBy"));
  const calls = await listCalls(db(), pii(), { tenantId, from, outcome, answeredBy });
  return {
    from: from ?? "",
    outcome: outcome ?? "",
    answeredBy: answeredBy ?? "",
    calls: calls.map((c) => ({
      ...c,
      createdAt: c.createdAt.toISOString(),
      cost: c.costMicros == null ? null : formatMicros(c.costMicros),
      costMicros: undefined,
    })),
  };
}

export default function Calls() {
  const { calls, from, outcome, answeredBy } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Calls</h1>
      <Form method="get" className="filters">
        <label htmlFor="from">Caller number</label>
        <input id="from" name="from" type="tel" defaultValue={from} placeholder="+14155550100" />
        <label htmlFor="outcome">Outcome</label>
        <select id="outcome" name="outcome" defaultValue={outcome}>
          <option value="">Any</option>
          <option value="successful">Successful</option>
          <option value="unsuccessful">Not successful</option>
          <option value="unevaluated">Not evaluated</option>
        </select>
        <label htmlFor="answeredBy">Answered by</label>
        <select id="answeredBy" name="answeredBy" defaultValue={answeredBy}>
          <option value="">Anyone</option>
          <option value="human">A person</option>
          <option value="voicemail">Voicemail</option>
          <option value="screening">Call screening</option>
          <option value="fax">Fax</option>
          <option value="unknown">Could not tell</option>
        </select>
        <button type="submit">Find</button>
      </Form>
      <p>
        <Link to="/calls/live">Live calls</Link> ·{" "}
        <a href="/calls/export" download>
          Export calls with their analysis (CSV, last 30 days, oldest first, every call)
        </a>
      </p>
      {calls.length === 0 ? (
        <p className="muted">No calls yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>When</th>
              <th>Agent</th>
              <th>From</th>
              <th>Status</th>
              <th>Outcome</th>
              <th>Answered by</th>
              <th>Duration</th>
              <th>Cost</th>
            </tr>
          </thead>
          <tbody>
            {calls.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/calls/${c.id}`}>
                    {new Date(c.createdAt).toLocaleString("en-US", { timeZone: "UTC" })}
                  </Link>
                </td>
                <td>{c.agentName ?? <span className="muted">deleted agent</span>}</td>
                <td data-testid="call-from">{c.direction === "web" ? `Web: ${c.origin ?? "widget"}` : c.fromNumber}</td>
                <td>{c.status}</td>
                <td data-testid="call-outcome">
                  {c.success === null ? "—" : c.success ? "Successful" : "Not successful"}
                </td>
                <td data-testid="call-answered-by">{c.answeredBy ?? "—"}</td>
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
