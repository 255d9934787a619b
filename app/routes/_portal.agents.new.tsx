import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { tenantVoices } from "~/agents/voice-preview.server";
import { AgentFields } from "~/components/agent-fields";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/card";
import { cn } from "~/components/ui/cn";
import { agentSchema } from "~/utils/agent-form";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { readForm } from "~/utils/form-body.server";
import { parseForm } from "~/utils/forms";
import { pii } from "~/utils/pii.server";
import { agentTemplate, agentTemplates } from "../../core/agent-templates";
import { PlanLimitError } from "../../core/billing/plans";
import { AgentInputError, createAgent } from "../../db/queries/agents";
import { listKnowledgeBases } from "../../db/queries/knowledge";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantName, tenantId } = await requirePermission(request, "agent:write");
  const chosen = agentTemplate(new URL(request.url).searchParams.get("template"));
  const named = (text: string) => text.replaceAll("{{business}}", tenantName);
  return {
    knowledgeBases: (await listKnowledgeBases(db(), { tenantId })).map((k) => ({ id: k.id, name: k.name })),
    voices: await tenantVoices(db(), env(), tenantId),
    templates: agentTemplates.map(({ id, title, blurb }) => ({ id, title, blurb })),
    chosen: chosen && { ...chosen, systemPrompt: named(chosen.systemPrompt), firstMessage: named(chosen.firstMessage) },
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenantId, actor } = await requirePermission(request, "agent:write");
  const form = await readForm(request);
  const { data: input, errors } = parseForm(agentSchema, form, ["knowledgeBaseIds"]);
  if (!input) return data({ errors, values: Object.fromEntries(form) as Record<string, string> }, { status: 400 });
  try {
    const agent = await createAgent(db(), { tenantId, actor, pii: pii(), ...input });
    return redirect(`/agents/${agent.id}`);
  } catch (err) {
    if (err instanceof PlanLimitError)
      return data(
        { errors: { name: err.message }, values: Object.fromEntries(form) as Record<string, string> },
        { status: 403 },
      );
    if (err instanceof AgentInputError)
      return data(
        { errors: { [err.field]: err.message }, values: Object.fromEntries(form) as Record<string, string> },
        { status: 400 },
      );
    throw err;
  }
}

/** A template to start from; the link text is the title alone, so "Appointment booking" finds it. */
function TemplateCard({
  to,
  title,
  current,
  children,
}: {
  to: string;
  title: string;
  current: boolean;
  children: React.ReactNode;
}) {
  return (
    <div
      className={cn(
        "relative h-full rounded-lg border bg-surface p-4 hover:border-primary",
        current ? "border-primary ring-1 ring-primary" : "border-line",
      )}
    >
      <Link
        to={to}
        aria-current={current ? "true" : undefined}
        className="font-semibold text-fg no-underline after:absolute after:inset-0 hover:no-underline"
      >
        {title}
      </Link>
      <p className="mt-1 mb-0 text-sm text-muted">{children}</p>
    </div>
  );
}

export default function NewAgent() {
  const { templates, chosen, knowledgeBases, voices } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageHeader title="New agent" description="Start from a template, or from scratch." />
      <nav aria-label="Templates" className="mb-6">
        <ul className="m-0 grid list-none gap-3 p-0 sm:grid-cols-2 lg:grid-cols-3">
          {templates.map((t) => (
            <li key={t.id}>
              <TemplateCard to={`?template=${t.id}`} title={t.title} current={chosen?.id === t.id}>
                {t.blurb}
              </TemplateCard>
            </li>
          ))}
          <li>
            <TemplateCard to="/agents/new" title="Blank" current={!chosen}>
              An empty agent: write the prompt yourself.
            </TemplateCard>
          </li>
        </ul>
      </nav>
      <Form method="post" className="card" key={chosen?.id ?? "blank"}>
        <AgentFields
          values={result?.values ?? chosen ?? undefined}
          errors={result?.errors}
          knowledgeBases={knowledgeBases}
          voices={voices}
        />
        <div className="mt-6 border-t border-line pt-4">
          <Button type="submit">Create agent</Button>
        </div>
      </Form>
    </>
  );
}
