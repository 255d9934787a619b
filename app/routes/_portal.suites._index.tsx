import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Button } from "~/components/ui/button";
import { Card, PageHeader } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { Field, Input, Select } from "~/components/ui/field";
import { DataTable } from "~/components/ui/table";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { readForm } from "~/utils/form-body.server";
import { can } from "~/utils/permissions";
import { listAgents } from "../../db/queries/agents";
import { createSuite, listSuites } from "../../db/queries/test-suites";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId, role } = await requirePermission(request, "agent:read");
  const [suites, agents] = [await listSuites(db(), { tenantId }), await listAgents(db(), { tenantId })];
  return { suites, agents: agents.map((a) => ({ id: a.id, name: a.name })), canWrite: can(role, "agent:write") };
}

const newSuite = z.object({
  name: z.string().trim().min(1, "Name the suite").max(120),
  agentId: z.uuid("Choose an agent"),
});

export async function action({ request }: ActionFunctionArgs) {
  const { tenantId } = await requirePermission(request, "agent:write");
  const parsed = newSuite.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return data({ error: parsed.error.issues[0]!.message }, { status: 400 });
  const suite = await createSuite(db(), { tenantId, ...parsed.data });
  if (!suite) return data({ error: "Choose one of your agents" }, { status: 400 });
  return redirect(`/suites/${suite.id}`);
}

export default function Suites() {
  const { suites, agents, canWrite } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageHeader
        title="Test suites"
        description="Simulated callers talk to an agent in text, through the same engine as a phone call; each case passes or fails on what the agent said and did."
      />
      {suites.length === 0 ? (
        <EmptyState title="No suites yet">
          A suite is a set of scripted callers; run it after every prompt change to see nothing broke.
        </EmptyState>
      ) : (
        <DataTable caption="Test suites">
          <thead>
            <tr>
              <th>Suite</th>
              <th>Agent</th>
              <th>Cases</th>
            </tr>
          </thead>
          <tbody>
            {suites.map((s) => (
              <tr key={s.id}>
                <td className="font-medium">
                  <Link to={`/suites/${s.id}`}>{s.name}</Link>
                </td>
                <td>{s.agentName}</td>
                <td className="tabular-nums">{s.cases}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {canWrite && (
        <Card className="mt-4">
          <Form method="post" className="flex flex-wrap items-end gap-3">
            <Field label="New suite" className="mt-0 min-w-56 flex-1">
              {(f) => <Input {...f} name="name" required maxLength={120} placeholder="Bookings" />}
            </Field>
            <Field label="For agent" className="mt-0 min-w-48">
              {(f) => (
                <Select {...f} name="agentId">
                  {agents.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.name}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Button type="submit">Create suite</Button>
          </Form>
          {result?.error && <p className="error">{result.error}</p>}
        </Card>
      )}
    </>
  );
}
