import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/card";
import { Field, Input } from "~/components/ui/field";
import { DataTable } from "~/components/ui/table";
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
    <DataTable caption={`Usage by ${title.toLowerCase()}`} className="mb-4">
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
              <td className="tabular-nums">{r.calls}</td>
              <td className="tabular-nums">{r.minutes}</td>
              <td className="tabular-nums">{r.avg}</td>
              <td className="tabular-nums">{r.cost}</td>
            </tr>
          ))
        ) : (
          <tr>
            <td colSpan={5} className="py-6 text-center text-muted">
              No calls in this range.
            </td>
          </tr>
        )}
      </tbody>
    </DataTable>
  );
}

export default function Usage() {
  const u = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Usage"
        description={`Calls, minutes and cost by UTC day, ${u.from} to ${u.to}.`}
        actions={
          <Button asChild variant="secondary">
            <Link to={`/usage/export?from=${u.from}&to=${u.to}`} reloadDocument>
              Export CSV
            </Link>
          </Button>
        }
      />
      <Form method="get" className="filters rounded-lg border border-line bg-surface p-3">
        <Field label="From" className="mt-0">
          {(f) => <Input {...f} name="from" type="date" defaultValue={u.from} />}
        </Field>
        <Field label="To" className="mt-0">
          {(f) => <Input {...f} name="to" type="date" defaultValue={u.to} />}
        </Field>
        <Button type="submit" variant="secondary">
          Show
        </Button>
      </Form>
      {u.error && (
        <p className="error" role="alert">
          {u.error}. Showing the last 30 days.
        </p>
      )}
      <dl className="my-4 grid grid-cols-2 gap-3 sm:grid-cols-4" aria-label="Totals">
        {(
          [
            ["Calls", u.total.calls],
            ["Minutes", u.total.minutes],
            ["Average call", u.total.avg],
            ["Cost", u.total.cost],
          ] as const
        ).map(([label, value]) => (
          <div key={label} className="rounded-lg border border-line bg-surface p-4">
            <dt className="text-xs font-medium tracking-wide uppercase">{label}</dt>
            <dd className="m-0 mt-1 text-2xl font-semibold tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      <p className="text-sm text-muted" data-testid="usage-total">
        {u.total.calls} calls · {u.total.minutes} minutes · average {u.total.avg} · {u.total.cost} (UTC days {u.from} to{" "}
        {u.to})
      </p>
      <UsageCharts days={u.points} byAgent={u.shares.byAgent} byNumber={u.shares.byNumber} />
      <Breakdown title="Agent" rows={u.agents} />
      <Breakdown title="Number" rows={u.numbers} />
    </>
  );
}
