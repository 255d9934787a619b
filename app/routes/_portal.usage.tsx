import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { type DayPoint, UsageCharts } from "~/components/usage-charts";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { isoDay, usageRange } from "~/utils/usage-range";
import { formatMicros } from "../../core/money";
import { dailyUsage, type UsageRow, usageBy } from "../../db/queries/usage-report";

const row = (r: UsageRow) => ({
  calls: r.calls,
  minutes: (Number(r.seconds) / 60).toFixed(1),
  avg: r.calls ? `${Math.round(Number(r.seconds) / r.calls)} s` : "—",
  cost: formatMicros(r.micros),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "call:read");
  const range = usageRange(new URL(request.url).searchParams);
  const r = { tenantId, from: range.from, to: range.to };
  const [days, agents, numbers] = await Promise.all([
    dailyUsage(db(), r),
    usageBy(db(), { ...r, by: "agent" }),
    usageBy(db(), { ...r, by: "number" }),
  ]);
  const total = days.reduce(
    (a, d) => ({ calls: a.calls + d.calls, seconds: a.seconds + d.seconds, micros: a.micros + d.micros }),
    { calls: 0, seconds: 0n, micros: 0n },
  );
  return {
    from: isoDay(range.from),
    to: isoDay(new Date(range.to.getTime() - 86_400_000)),
    error: range.error,
    total: row(total),
    points: days.map(
      (d): DayPoint => ({
        day: d.day,
        calls: d.calls,
        minutes: Number(d.seconds) / 60,
        cost: Number(d.micros) / 1e6,
        avgSeconds: d.calls ? Math.round(Number(d.seconds) / d.calls) : 0,
      }),
    ),
    agents: agents.map((a) => ({ label: a.label ?? "deleted agent", ...row(a) })),
    numbers: numbers.map((n) => ({ label: n.label ?? "web calls", ...row(n) })),
    shares: {
      byAgent: agents.map((a) => ({
        label: a.label ?? "deleted agent",
        minutes: Number(a.seconds) / 60,
        calls: a.calls,
      })),
      byNumber: numbers.map((n) => ({
        label: n.label ?? "web calls",
        minutes: Number(n.seconds) / 60,
        calls: n.calls,
      })),
    },
  };
}

function Breakdown({ title, rows }: { title: string; rows: ({ label: string } & ReturnType<typeof row>)[] }) {
  return (
    <table className="card" aria-label={title}>
      <thead>
        <tr>
          <th>{title}</th>
          <th>Calls</th>
          <th>Minutes</th>
          <th>Average</th>
          <th>Cost</th>
        </tr>
      </thead>
      <tbody>
        {rows.length ? (
          rows.map((r) => (
            <tr key={r.label}>
              <td>{r.label}</td>
              <td>{r.calls}</td>
              <td>{r.minutes}</td>
              <td>{r.avg}</td>
              <td>{r.cost}</td>
            </tr>
          ))
        ) : (
          <tr>
            <td colSpan={5} className="muted">
              No calls in this range.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

export default function Usage() {
  const u = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Usage</h1>
      <Form method="get" className="card">
        <label htmlFor="from">From</label>
        <input id="from" name="from" type="date" defaultValue={u.from} />
        <label htmlFor="to">To</label>
        <input id="to" name="to" type="date" defaultValue={u.to} />
        <button type="submit">Show</button>
        <Link to={`/usage/export?from=${u.from}&to=${u.to}`} reloadDocument>
          Export CSV
        </Link>
      </Form>
      {u.error && (
        <p className="error" role="alert">
          {u.error}. Showing the last 30 days.
        </p>
      )}
      <p data-testid="usage-total">
        {u.total.calls} calls · {u.total.minutes} minutes · average {u.total.avg} · {u.total.cost} (UTC days {u.from} to{" "}
        {u.to})
      </p>
      <UsageCharts days={u.points} byAgent={u.shares.byAgent} byNumber={u.shares.byNumber} />
      <Breakdown title="Agent" rows={u.agents} />
      <Breakdown title="Number" rows={u.numbers} />
    </>
  );
}
