import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { readForm } from "~/utils/form-body.server";
import { formatDateTime } from "~/utils/format";
import { requireIdParam } from "~/utils/params.server";
import { can } from "~/utils/permissions";
import type { AgentTool } from "../../core/agent-tools";
import { diffSettings } from "../../core/settings-diff";
import { listAgentVersions, restoreAgentVersion } from "../../db/queries/agent-versions";
import { getAgent } from "../../db/queries/agents";
import { listMembers } from "../../db/queries/members";
import { maskToolHeaders } from "../../db/tool-headers";

const notFound = () => new Response("Agent not found", { status: 404 });
const versionParam = z.coerce.number().int().min(1).optional().catch(undefined);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenantId, role } = await requirePermission(request, "agent:read");
  const agent = await getAgent(db(), { id: requireIdParam(params, "agentId", notFound), tenantId });
  if (!agent) throw notFound();
  const versions = await listAgentVersions(db(), { agentId: agent.id, tenantId });
  const url = new URL(request.url).searchParams;
  const to = versions.find((v) => v.version === versionParam.parse(url.get("to") ?? undefined)) ?? versions[0];
  const from =
    versions.find((v) => v.version === versionParam.parse(url.get("from") ?? undefined)) ??
    versions.find((v) => to && v.version < to.version);
  const emails = new Map((await listMembers(db(), { tenantId })).map((m) => [m.userId, m.email]));
  return {
    agent: { id: agent.id, name: agent.name, version: agent.version },
    versions: versions.map((v) => ({
      version: v.version,
      createdAt: v.createdAt.toISOString(),
      by: v.createdBy ? (emails.get(v.createdBy) ?? "a former member") : "API",
      restoredFrom: v.restoredFrom,
    })),
    from: from?.version ?? null,
    to: to?.version ?? null,
    // Compared as stored (a changed header value differs), shown masked.
    changes:
      from && to
        ? diffSettings(from.settings, to.settings).map((c) =>
            c.field === "tools"
              ? {
                  ...c,
                  before: maskToolHeaders((c.before ?? []) as AgentTool[]),
                  after: maskToolHeaders((c.after ?? []) as AgentTool[]),
                }
              : c,
          )
        : [],
    canWrite: can(role, "agent:write"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenantId, actor } = await requirePermission(request, "agent:write");
  const agentId = requireIdParam(params, "agentId", notFound);
  if (!(await getAgent(db(), { id: agentId, tenantId }))) throw notFound();
  const form = await readForm(request);
  const version = z.coerce.number().int().min(1).safeParse(form.get("version"));
  if (form.get("intent") !== "restore" || !version.success)
    return new Response("Choose a version to restore", { status: 400 });
  const agent = await restoreAgentVersion(db(), { agentId, tenantId, version: version.data, actor });
  if (!agent) throw new Response("Version not found", { status: 404 });
  return redirect(`/agents/${agent.id}/versions?restored=${version.data}`);
}

const show = (v: unknown) =>
  v === undefined || v === null || v === "" ? "(none)" : typeof v === "string" ? v : JSON.stringify(v);

export default function AgentVersions() {
  const { agent, versions, from, to, changes, canWrite } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{agent.name}: versions</h1>
      <p>
        <Link to={`/agents/${agent.id}`}>Back to the agent</Link>. Every save makes a new version; calls record the
        version they ran. Restoring copies an old version into a new one.
      </p>
      <Form method="get" className="card">
        <label>
          Compare version <input name="from" type="number" min={1} defaultValue={from ?? ""} />
        </label>
        <label>
          with version <input name="to" type="number" min={1} defaultValue={to ?? ""} />
        </label>
        <button type="submit">Compare</button>
      </Form>
      {from && to ? (
        <section aria-label="Changes">
          <h2>
            Changes from version {from} to {to}
          </h2>
          {changes.length === 0 && <p>No settings differ.</p>}
          {changes.map((c) => (
            <div key={c.field} className="card diff">
              <h3>{c.field}</h3>
              {c.lines ? (
                <pre>
                  {c.lines.map((l, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a diff line has no identity but its place
                    <div key={i} className={`diff-${l.kind}`}>
                      {l.kind === "added" ? "+ " : l.kind === "removed" ? "- " : "  "}
                      {l.text}
                    </div>
                  ))}
                </pre>
              ) : (
                <p>
                  <del>{show(c.before)}</del> → <ins>{show(c.after)}</ins>
                </p>
              )}
            </div>
          ))}
        </section>
      ) : (
        <p>There is only one version so far.</p>
      )}
      <table>
        <thead>
          <tr>
            <th>Version</th>
            <th>Saved</th>
            <th>By</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <td>
                {v.version}
                {v.version === agent.version && " (current)"}
                {v.restoredFrom && ` (restored from ${v.restoredFrom})`}
              </td>
              <td>{formatDateTime(v.createdAt)}</td>
              <td>{v.by}</td>
              <td>
                {canWrite && v.version !== agent.version && (
                  <Form method="post">
                    <input type="hidden" name="intent" value="restore" />
                    <input type="hidden" name="version" value={v.version} />
                    <button type="submit">Restore version {v.version}</button>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
