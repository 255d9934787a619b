import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { answeredByOptions, CallsTable } from "~/components/calls-table";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { Field, Input, Select } from "~/components/ui/field";
import { CursorPager } from "~/components/ui/table";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { pii } from "~/utils/pii.server";
import { callsPage } from "./_portal.calls._index.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "call:read");
  return callsPage(db(), pii(), tenantId, new URL(request.url).searchParams);
}

const statuses = [
  ["completed", "Completed"],
  ["failed", "Failed"],
  ["in_progress", "In progress"],
  ["ringing", "Ringing"],
];

export default function Calls() {
  const page = useLoaderData<typeof loader>();
  const v = page.values;
  const choose = (name: keyof typeof v, label: string, any: string, options: string[][]) => (
    <Field label={label} className="mt-0">
      {(control) => (
        <Select {...control} name={name} defaultValue={v[name]}>
          <option value="">{any}</option>
          {options.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
  return (
    <>
      <PageHeader
        title="Calls"
        actions={
          <>
            <Link to="/calls/live">Live calls</Link>
            <a href="/calls/export" download>
              Export calls with their analysis (CSV, last 30 days, oldest first, every call)
            </a>
          </>
        }
      />
      <Form method="get" className="mb-4 flex flex-wrap items-end gap-3" data-testid="call-filters">
        <Field label="Caller number" className="mt-0">
          {(control) => <Input {...control} name="from" type="tel" defaultValue={v.from} placeholder="+14155550100" />}
        </Field>
        {choose(
          "agent",
          "Agent",
          "Any agent",
          page.agents.map((a) => [a.id, a.name]),
        )}
        {choose("status", "Status", "Any", statuses)}
        {choose("outcome", "Outcome", "Any", [
          ["successful", "Successful"],
          ["unsuccessful", "Not successful"],
          ["unevaluated", "Not evaluated"],
        ])}
        {choose("answeredBy", "Answered by", "Anyone", answeredByOptions)}
        <Field label="From day (UTC)" className="mt-0">
          {(control) => <Input {...control} name="since" type="date" defaultValue={v.since} />}
        </Field>
        <Field label="To day (UTC)" className="mt-0">
          {(control) => <Input {...control} name="until" type="date" defaultValue={v.until} />}
        </Field>
        <input type="hidden" name="sort" value={page.sort} />
        <input type="hidden" name="dir" value={page.dir} />
        <Button type="submit">Find</Button>
      </Form>
      {page.calls.length > 0 ? (
        <CallsTable calls={page.calls} caption="Calls" sortable />
      ) : page.filtered ? (
        <EmptyState
          title="No calls match these filters"
          action={
            <Button asChild variant="secondary">
              <Link to="/calls">Clear filters</Link>
            </Button>
          }
        >
          Try a wider date range or another agent.
        </EmptyState>
      ) : page.paged ? (
        <EmptyState title="No more calls" action={<Link to="?">Back to the first page</Link>} />
      ) : (
        <EmptyState
          title="No calls yet"
          action={
            page.firstAgentId ? (
              <Button asChild>
                <Link to={`/agents/${page.firstAgentId}/talk`}>Place a test call</Link>
              </Button>
            ) : (
              <Button asChild>
                <Link to="/agents/new">Create an agent</Link>
              </Button>
            )
          }
        >
          Calls to your agents show here: from your browser, or from a phone once a <Link to="/numbers">number</Link>{" "}
          points at an agent.
        </EmptyState>
      )}
      <CursorPager nextCursor={page.nextCursor} />
    </>
  );
}
