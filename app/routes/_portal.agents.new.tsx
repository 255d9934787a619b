import { PlanLimitError } from "../../core/billing/plans";
import { type ActionFunctionArgs, type LoaderFunctionArgs, data, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { createAgent } from "../../db/queries/agents";
import { AgentFields } from "~/components/agent-fields";
import { agentSchema } from "~/utils/agent-form";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "agent:write");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenantId, actor } = await requirePermission(request, "agent:write");
  const form = await request.formData();
  const { data: input, errors } = parseForm(agentSchema, form);
  if (!input) return data({ errors, values: Object.fromEntries(form) as Record<string, string> }, { status: 400 });
  try {
    const agent = await createAgent(db, { tenantId, actor, ...input });
    return redirect(`/agents/${agent.id}`);
  } catch (err) {
    if (err instanceof PlanLimitError) return data({ errors: { name: err.message }, values: Object.fromEntries(form) as Record<string, string> }, { status: 403 });
    throw err;
  }
}

export default function NewAgent() {
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>New agent</h1>
      <Form method="post" className="card">
        <AgentFields values={result?.values} errors={result?.errors} />
        <button type="submit">Create agent</button>
      </Form>
    </>
  );
}
