import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { tenantVoices } from "~/agents/voice-preview.server";
import { AgentFields } from "~/components/agent-fields";
import { agentEditSchema } from "~/utils/agent-form";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { readForm } from "~/utils/form-body.server";
import { parseForm } from "~/utils/forms";
import { requireIdParam } from "~/utils/params.server";
import { can } from "~/utils/permissions";
import { pii } from "~/utils/pii.server";
import { AgentInputError, deleteAgent, getAgent, updateAgent } from "../../db/queries/agents";
import { listKnowledgeBases } from "../../db/queries/knowledge";
import { maskToolHeaders } from "../../db/tool-headers";

const notFound = () => new Response("Agent not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenantId, role } = await requirePermission(request, "agent:read");
  const agent = await getAgent(db(), { id: requireIdParam(params, "agentId", notFound), tenantId });
  if (!agent) throw notFound();
  const knowledgeBases = (await listKnowledgeBases(db(), { tenantId })).map((k) => ({ id: k.id, name: k.name }));
  // Header values are write-only: everyone, the editor included, sees them masked.
  return {
    agent: { ...agent, tools: maskToolHeaders(agent.tools) },
    voices: await tenantVoices(db(), env(), tenantId),
    knowledgeBases,
    canWrite: can(role, "agent:write"),
    canDelete: can(role, "agent:delete"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const id = requireIdParam(params, "agentId", notFound);
  if (form.get("intent") === "delete") {
    const { tenantId, actor } = await requirePermission(request, "agent:delete");
    if (!(await deleteAgent(db(), { id, tenantId, actor }))) throw notFound();
    return redirect("/agents");
  }
  const { tenantId, actor } = await requirePermission(request, "agent:write");
  const { data: input, errors } = parseForm(agentEditSchema, form, ["knowledgeBaseIds"]);
  if (!input) return data({ errors, conflict: false, saved: false }, { status: 400 });
  const result = await updateAgent(db(), { id, tenantId, actor, pii: pii(), ...input }).catch((err) => {
    if (err instanceof AgentInputError)
      return { ok: false as const, reason: "input" as const, field: err.field, message: err.message };
    throw err;
  });
  if (!result.ok && result.reason === "input")
    return data({ errors: { [result.field]: result.message }, conflict: false, saved: false }, { status: 400 });
  if (!result.ok && result.reason === "not_found") throw notFound();
  if (!result.ok) return data({ errors: null, conflict: true, saved: false }, { status: 409 });
  return { errors: null, conflict: false, saved: true };
}

export default function EditAgent() {
  const { agent, knowledgeBases, voices, canWrite, canDelete } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>{agent.name}</h1>
      <p>
        <Link to={`/agents/${agent.id}/widget`}>Website widget</Link>: put this agent on your website.{" "}
        <Link to={`/agents/${agent.id}/versions`}>Version {agent.version}</Link>: history, differences, restore.{" "}
        <Link to={`/agents/${agent.id}/talk`}>Test in browser</Link>: talk to it with your microphone.
      </p>
      {result?.conflict && (
        <p className="banner" role="alert">
          Someone else changed this agent after you opened it, so your edit was not saved. Reload the page to see their
          version, then make your change again.
        </p>
      )}
      {result?.saved && <p role="status">Saved.</p>}
      <Form method="post" className="card" key={agent.version}>
        <input type="hidden" name="version" value={agent.version} />
        <AgentFields values={agent} errors={result?.errors} knowledgeBases={knowledgeBases} voices={voices} />
        {canWrite && <button type="submit">Save</button>}
      </Form>
      {canDelete && (
        <Form method="post" onSubmit={(e) => !confirm("Delete this agent? Its calls are kept.") && e.preventDefault()}>
          <input type="hidden" name="intent" value="delete" />
          <button type="submit" className="danger">
            Delete agent
          </button>
        </Form>
      )}
    </>
  );
}
