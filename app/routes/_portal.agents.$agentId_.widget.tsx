import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
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
      <p>
        <Link to={`/agents/${agent.id}`}>← {agent.name}</Link>
      </p>
      <h1>Website widget</h1>
      <p>
        Put a call button on your website: visitors talk to {agent.name} in the browser. Calls show up with your phone
        calls.
      </p>
      {result?.saved && <p role="status">Saved.</p>}
      {snippet ? (
        <section className="card">
          <h2>Embed snippet</h2>
          <p>
            Paste this before <code>&lt;/body&gt;</code> on each page. The key is public; it works only on the websites
            listed below.
          </p>
          <pre data-testid="widget-snippet">{snippet}</pre>
        </section>
      ) : (
        <p>Save the settings below to get the snippet.</p>
      )}
      <Form
        method="post"
        className="card"
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
        <label htmlFor="color">Button colour</label>
        <input id="color" name="color" type="color" defaultValue={saved.color} />
        {field("color")}
        <label htmlFor="textColor">Label colour</label>
        <input id="textColor" name="textColor" type="color" defaultValue={saved.textColor} />
        {field("textColor")}
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
        {canWrite && <button type="submit">Save widget</button>}
      </Form>
      <h2>Preview</h2>
      <WidgetPreview {...look} />
    </>
  );
}
