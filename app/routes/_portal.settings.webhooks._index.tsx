import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/card";
import { CheckboxField } from "~/components/ui/field";
import { DataTable } from "~/components/ui/table";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { env, isProduction } from "~/utils/env.server";
import { readForm } from "~/utils/form-body.server";
import { pii } from "~/utils/pii.server";
import { endpointSchema } from "~/utils/webhook-form";
import { destinationProblem } from "~/webhooks/endpoints.server";
import { webhookEventTypes } from "../../core/webhooks/events";
import { createWebhookEndpoint, listWebhookEndpoints } from "../../db/queries/webhook-endpoints";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "webhook:manage");
  const endpoints = await listWebhookEndpoints(db(), pii(), { tenantId });
  return { endpoints: endpoints.map((e) => ({ id: e.id, url: e.url, events: e.events, enabled: e.enabled })) };
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenantId, actor } = await requirePermission(request, "webhook:manage");
  const form = await readForm(request);
  const parsed = endpointSchema.safeParse({ url: String(form.get("url") ?? ""), events: form.getAll("events") });
  if (!parsed.success) return data({ error: parsed.error.issues[0]!.message, secret: null }, { status: 400 });
  const problem = await destinationProblem(parsed.data.url, {
    allowPrivate: env().WEBHOOK_ALLOW_PRIVATE_DESTINATIONS,
    production: isProduction(),
  });
  if (problem) return data({ error: problem, secret: null }, { status: 400 });
  const { secret } = await createWebhookEndpoint(db(), pii(), { tenantId, ...parsed.data, actor });
  return { error: null, secret };
}

export default function Webhooks() {
  const { endpoints } = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  return (
    <>
      <PageHeader title="Webhooks" />
      <p className="muted">
        Events are POSTed as JSON and signed per the Standard Webhooks specification (<code>webhook-id</code>,{" "}
        <code>webhook-timestamp</code>, <code>webhook-signature</code>). A failed delivery is retried for about three
        days; then the endpoint is turned off and the team's owners and admins are emailed.
      </p>
      {r?.secret && (
        <div className="banner" role="status">
          <p>Signing secret (shown once):</p>
          <p className="secret">{r.secret}</p>
        </div>
      )}
      <DataTable caption="Webhook endpoints">
        <thead>
          <tr>
            <th>Endpoint</th>
            <th>Events</th>
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {endpoints.map((e) => (
            <tr key={e.id}>
              <td>
                <Link to={`/settings/webhooks/${e.id}`}>
                  <code>{e.url}</code>
                </Link>
              </td>
              <td>{e.events.length ? e.events.join(", ") : "All events"}</td>
              <td>{e.enabled ? "On" : "Off"}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
      <Form method="post" className="card">
        <label htmlFor="url">Endpoint URL</label>
        <input id="url" name="url" type="url" placeholder="https://example.com/bvrai-events" required />
        <fieldset>
          <legend>Events (none chosen: all of them)</legend>
          {Object.entries(webhookEventTypes).map(([type, meaning]) => (
            <CheckboxField
              key={type}
              name="events"
              value={type}
              label={
                <>
                  <code>{type}</code> <span className="muted">{meaning}</span>
                </>
              }
            />
          ))}
        </fieldset>
        {r?.error && (
          <p className="error" role="alert">
            {r.error}
          </p>
        )}
        <Button type="submit" className="mt-3 mr-2">
          Add endpoint
        </Button>
      </Form>
    </>
  );
}
