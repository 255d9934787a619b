import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/card";
import { CheckboxField } from "~/components/ui/field";
import { DataTable } from "~/components/ui/table";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { describeExpectation } from "~/utils/expectation-words";
import { readForm } from "~/utils/form-body.server";
import { formatDateTime } from "~/utils/format";
import { requireIdParam } from "~/utils/params.server";
import { can } from "~/utils/permissions";
import { listAgentVersions } from "../../db/queries/agent-versions";
import { getAgent } from "../../db/queries/agents";
import { getSuite, listRuns } from "../../db/queries/test-suites";
import { suiteAction } from "./_portal.suites.$suiteId.server";

const notFound = () => new Response("Suite not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenantId, role } = await requirePermission(request, "agent:read");
  const suite = await getSuite(db(), { tenantId, id: requireIdParam(params, "suiteId", notFound) });
  if (!suite) throw notFound();
  const [agent, versions, runs] = [
    await getAgent(db(), { tenantId, id: suite.agentId }),
    await listAgentVersions(db(), { tenantId, agentId: suite.agentId }),
    await listRuns(db(), { tenantId, suiteId: suite.id }),
  ];
  return {
    suite: { id: suite.id, name: suite.name, cases: suite.cases },
    agent: agent && { id: agent.id, name: agent.name, version: agent.version },
    versions: versions.map((v) => v.version),
    runs: runs.map((r) => ({
      id: r.id,
      status: r.status,
      agentVersion: r.agentVersion,
      passed: r.passed,
      failed: r.failed,
      createdAt: r.createdAt.toISOString(),
    })),
    canWrite: can(role, "agent:write"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenantId } = await requirePermission(request, "agent:write");
  const suiteId = requireIdParam(params, "suiteId", notFound);
  const result = await suiteAction(await readForm(request), { tenantId, suiteId });
  if (!result) throw notFound();
  return result;
}

export default function Suite() {
  const { suite, agent, versions, runs, canWrite } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = (result && "errors" in result ? result.errors : null) as Record<string, string | undefined> | null;
  const field = (id: string) => errors?.[id] && <p className="error">{errors[id]}</p>;
  return (
    <>
      <PageHeader title={suite.name} />
      <p>
        <Link to="/suites">All suites</Link> · Agent:{" "}
        {agent ? <Link to={`/agents/${agent.id}`}>{agent.name}</Link> : "deleted"}
      </p>
      {canWrite && suite.cases.length > 0 && (
        <Form method="post" className="card">
          <input type="hidden" name="intent" value="run" />
          <label htmlFor="version">Run against version</label>
          <select id="version" name="version" defaultValue={agent?.version}>
            {versions.map((v) => (
              <option key={v} value={v}>
                {v}
                {v === agent?.version ? " (current)" : ""}
              </option>
            ))}
          </select>
          {field("version")}
          <Button type="submit" className="mt-3 mr-2">
            Run suite
          </Button>
        </Form>
      )}
      <h2>Cases</h2>
      <ol>
        {suite.cases.map((c) => (
          <li key={c.id} data-testid="test-case">
            <strong>{c.name}</strong>:{" "}
            {c.caller.kind === "scripted"
              ? `caller says ${c.caller.turns.map((t) => `"${t}"`).join(", then ")}`
              : `persona: ${c.caller.prompt}`}
            ; expects it {c.expectations.map(describeExpectation).join("; ")}
            {canWrite && (
              <Form method="post" className="inline">
                <input type="hidden" name="intent" value="remove-case" />
                <input type="hidden" name="caseId" value={c.id} />
                <Button type="submit" variant="secondary" size="sm">
                  Remove
                </Button>
              </Form>
            )}
          </li>
        ))}
      </ol>
      {canWrite && (
        <Form method="post" className="card">
          <h2>Add a case</h2>
          <label htmlFor="case-name">Name</label>
          <input id="case-name" name="name" maxLength={120} />
          {field("name")}
          <label htmlFor="callerKind">Caller</label>
          <select id="callerKind" name="callerKind" defaultValue="scripted">
            <option value="scripted">Scripted: says these lines, in order</option>
            <option value="persona">Persona: a model plays the caller</option>
          </select>
          <label htmlFor="turns">Caller's lines (scripted; one per turn)</label>
          <textarea id="turns" name="turns" rows={3} />
          {field("turns")}
          <label htmlFor="persona">Persona and goal (persona)</label>
          <textarea
            id="persona"
            name="persona"
            rows={2}
            placeholder="A busy parent who wants to move Friday's appointment to Monday."
          />
          {field("persona")}
          <label htmlFor="maxTurns">Most caller turns (persona)</label>
          <input id="maxTurns" name="maxTurns" type="number" min={1} max={20} defaultValue={6} />
          <label htmlFor="mustSay">The agent must say (one per line)</label>
          <textarea id="mustSay" name="mustSay" rows={2} />
          {field("mustSay")}
          <label htmlFor="mustNotSay">The agent must never say (one per line)</label>
          <textarea id="mustNotSay" name="mustNotSay" rows={2} />
          <label htmlFor="toolName">It must call the tool</label>
          <input id="toolName" name="toolName" maxLength={64} />
          {field("toolName")}
          <label htmlFor="toolArgs">with arguments including (JSON)</label>
          <input id="toolArgs" name="toolArgs" placeholder='{"day": "Friday"}' />
          {field("toolArgs")}
          <CheckboxField name="endsCall" value="on" label={<>It must end the call</>} />
          <label htmlFor="judge">Judged criteria (one per line; a model decides)</label>
          <textarea id="judge" name="judge" rows={2} />
          <Button type="submit" className="mt-3 mr-2">
            Add case
          </Button>
        </Form>
      )}
      <h2>Runs</h2>
      {runs.length === 0 ? (
        <p className="muted">Not run yet.</p>
      ) : (
        <DataTable caption="Runs">
          <thead>
            <tr>
              <th>When</th>
              <th>Version</th>
              <th>Result</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={`/runs/${r.id}`}>{formatDateTime(r.createdAt)}</Link>
                </td>
                <td>{r.agentVersion}</td>
                <td>
                  {r.status === "queued" || r.status === "running"
                    ? r.status
                    : `${r.status}: ${r.passed} passed, ${r.failed} failed`}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </>
  );
}
