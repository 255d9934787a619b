import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { Button } from "~/components/ui/button";
import { Card, PageHeader } from "~/components/ui/card";
import { WidgetPreview } from "~/components/widget-preview";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { readForm } from "~/utils/form-body.server";
import { parseForm } from "~/utils/forms";
import { requireIdParam } from "~/utils/params.server";
import { can } from "~/utils/permissions";
import { widgetSchema } from "~/utils/widget-form";
import { widgetSnippet } from "../../core/widget";
import { widgetDefaults, widgetLimits } from "../../core/widget-limits";
import { getAgent } from "../../db/queries/agents";
import { getWidget, saveWidget } from "../../db/queries/widgets";

const notFound = () => new Response("Agent not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenantId, role } = await requirePermission(request, "agent:read");
  const agent = await getAgent(db(), { id: requireIdParam(params, "agentId", notFound), tenantId });
  if (!agent) throw notFound();
  const widget = await getWidget(db(), { tenantId, agentId: agent.id });
  const edge = env().EDGE_PUBLIC_URL ?? "http://127.0.0.1:8787";
  return {
    agent: { id: agent.id, name: agent.name },
    widget,
    edge: new URL(edge).origin,
    canWrite: can(role, "agent:write"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenantId, actor } = await requirePermission(request, "agent:write");
  const agent = await getAgent(db(), { id: requireIdParam(params, "agentId", notFound), tenantId });
  if (!agent) throw notFound();
  const { data: settings, errors } = parseForm(widgetSchema, await readForm(request));
  if (!settings) return data({ errors, saved: false }, { status: 400 });
  await saveWidget(db(), { tenantId, agentId: agent.id, actor, settings });
  return { errors: null, saved: true };
}

export default function AgentWidget() {
  const { agent, widget, edge, canWrite } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const saved = widget ?? widgetDefaults;
  const [look, setLook] = useState({
    buttonText: saved.buttonText,
    color: saved.color,
    textColor: saved.textColor,
    position: saved.position,
    greeting: saved.greeting,
  });
  const field = (id: string) => result?.errors?.[id] && <p className="error">{result.errors[id]}</p>;
  const snippet = widget && widgetSnippet(edge, widget.publishableKey);
  return (
    <>
      <p className="mt-0 mb-2 text-sm">
        <Link to={`/agents/${agent.id}`}>← {agent.name}</Link>
      </p>
      <PageHeader
        title="Website widget"
        description={`Put a call button on your website: visitors talk to ${agent.name} in the browser. Calls show up with your phone calls.`}
      />
      {result?.saved && (
        <p role="status" className="banner mb-4 border-ok/40 bg-ok-soft">
          Saved.
        </p>
      )}
      {snippet ? (
        <Card>
          <h2 className="mt-0">Embed snippet</h2>
          <p>
            Paste this before <code>&lt;/body&gt;</code> on each page. The key is public; it works only on the websites
            listed below.
          </p>
          <pre data-testid="widget-snippet">{snippet}</pre>
        </Card>
      ) : (
        <p className="text-muted">Save the settings below to get the snippet.</p>
      )}
      <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <Form
          method="post"
          className="card mb-0"
          onChange={(e) => {
            const f = new FormData(e.currentTarget);
            setLook({
              buttonText: String(f.get("buttonText")),
              color: String(f.get("color")),
              textColor: String(f.get("textColor")),
              position: String(f.get("position")),
              greeting: String(f.get("greeting")),
            });
          }}
        >
          <label htmlFor="allowedOrigins">
            Websites allowed to use it (one per line, like https://www.example.com or https://*.example.com)
          </label>
          <textarea
            id="allowedOrigins"
            name="allowedOrigins"
            rows={3}
            defaultValue={saved.allowedOrigins.join("\n")}
            required
          />
          {field("allowedOrigins")}
          <label htmlFor="buttonText">Button label</label>
          <input
            id="buttonText"
            name="buttonText"
            defaultValue={saved.buttonText}
            maxLength={widgetLimits.buttonText}
            required
          />
          {field("buttonText")}
          <div className="flex flex-wrap gap-6">
            <div>
              <label htmlFor="color">Button colour</label>
              <span className="flex items-center gap-2">
                <input id="color" name="color" type="color" defaultValue={saved.color} />
                <code className="text-muted">{look.color}</code>
              </span>
              {field("color")}
            </div>
            <div>
              <label htmlFor="textColor">Label colour</label>
              <span className="flex items-center gap-2">
                <input id="textColor" name="textColor" type="color" defaultValue={saved.textColor} />
                <code className="text-muted">{look.textColor}</code>
              </span>
              {field("textColor")}
            </div>
          </div>
          <label htmlFor="position">Position</label>
          <select id="position" name="position" defaultValue={saved.position}>
            <option value="bottom-right">Bottom right</option>
            <option value="bottom-left">Bottom left</option>
          </select>
          <label htmlFor="greeting">Greeting bubble (optional)</label>
          <input id="greeting" name="greeting" defaultValue={saved.greeting} maxLength={widgetLimits.greeting} />
          {field("greeting")}
          <label htmlFor="consentText">Consent notice shown before a call (optional)</label>
          <textarea
            id="consentText"
            name="consentText"
            rows={2}
            defaultValue={saved.consentText}
            maxLength={widgetLimits.consentText}
          />
          {field("consentText")}
          <fieldset>
            <legend>Limits</legend>
            <label htmlFor="maxConcurrentSessions">Calls at the same time</label>
            <input
              id="maxConcurrentSessions"
              name="maxConcurrentSessions"
              type="number"
              min={1}
              max={widgetLimits.maxConcurrentSessions}
              defaultValue={saved.maxConcurrentSessions}
            />
            {field("maxConcurrentSessions")}
            <label htmlFor="maxSessionSeconds">Longest call (seconds)</label>
            <input
              id="maxSessionSeconds"
              name="maxSessionSeconds"
              type="number"
              min={1}
              max={widgetLimits.maxSessionSeconds}
              defaultValue={saved.maxSessionSeconds}
            />
            {field("maxSessionSeconds")}
            <label htmlFor="callsPerVisitorPerHour">Calls per visitor per hour</label>
            <input
              id="callsPerVisitorPerHour"
              name="callsPerVisitorPerHour"
              type="number"
              min={1}
              max={widgetLimits.callsPerVisitorPerHour}
              defaultValue={saved.callsPerVisitorPerHour}
            />
            {field("callsPerVisitorPerHour")}
          </fieldset>
          {canWrite && (
            <Button type="submit" className="mt-4">
              Save widget
            </Button>
          )}
        </Form>
        <Card className="lg:sticky lg:top-4" aria-labelledby="preview">
          <h2 id="preview" className="mt-0">
            Preview
          </h2>
          <WidgetPreview {...look} />
        </Card>
      </div>
    </>
  );
}
