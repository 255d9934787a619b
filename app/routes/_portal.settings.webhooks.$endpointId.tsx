import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/card";
import { CheckboxField } from "~/components/ui/field";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { env, isProduction } from "~/utils/env.server";
import { readForm } from "~/utils/form-body.server";
import { formatDateTime } from "~/utils/format";
import { isId, requireIdParam } from "~/utils/params.server";
import { pii } from "~/utils/pii.server";
import { endpointSchema } from "~/utils/webhook-form";
import { destinationProblem } from "~/webhooks/endpoints.server";
import { webhookEventTypes } from "../../core/webhooks/events";
import { resendDelivery } from "../../db/queries/webhook-deliveries";
import {
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  rotateWebhookSecret,
  updateWebhookEndpoint,
} from "../../db/queries/webhook-endpoints";
import { endpointWithLog } from "./_portal.settings.webhooks.$endpointId.server";

const notFound = () => new Response("Webhook endpoint not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "webhook:manage");
  const found = await endpointWithLog({ tenantId, id: requireIdParam(params, "endpointId", notFound) });
  if (!found) throw notFound();
  return found;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenantId, actor } = await requirePermission(request, "webhook:manage");
  const id = requireIdParam(params, "endpointId", notFound);
  if (!(await getWebhookEndpoint(db(), pii(), { tenantId, id }))) throw notFound();
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "delete") {
    await deleteWebhookEndpoint(db(), { id, tenantId, actor });
    return redirect("/settings/webhooks");
  }
  if (intent === "save") {
    const parsed = endpointSchema.safeParse({ url: String(form.get("url") ?? ""), events: form.getAll("events") });
    if (!parsed.success)
      return data({ error: parsed.error.issues[0]!.message, notice: null, secret: null }, { status: 400 });
    const problem = await destinationProblem(parsed.data.url, {
      allowPrivate: env().WEBHOOK_ALLOW_PRIVATE_DESTINATIONS,
      production: isProduction(),
    });
    if (problem) return data({ error: problem, notice: null, secret: null }, { status: 400 });
    await updateWebhookEndpoint(db(), pii(), { tenantId, id, actor, ...parsed.data });
    return { error: null, notice: "Saved.", secret: null };
  }
  if (intent === "enable" || intent === "disable") {
    await updateWebhookEndpoint(db(), pii(), { tenantId, id, actor, enabled: intent === "enable" });
    return { error: null, notice: intent === "enable" ? "Turned on." : "Turned off.", secret: null };
  }
  if (intent === "rotate") {
    const rotated = await rotateWebhookSecret(db(), pii(), { tenantId, id, actor });
    return {
      error: null,
      notice: "New secret made; the old one also signs for the next 24 hours.",
      secret: rotated!.secret,
    };
  }
  if (intent === "resend") {
    const deliveryId = form.get("deliveryId");
    if (!isId(deliveryId) || !(await resendDelivery(db(), { tenantId, endpointId: id, id: deliveryId })))
      throw new Response("Delivery not found", { status: 404 });
    return { error: null, notice: "Sending again now.", secret: null };
  }
  return data({ error: "Unknown action.", notice: null, secret: null }, { status: 400 });
}

export default function WebhookEndpoint() {
  const { endpoint, deliveries } = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  return (
    <>
      <PageHeader title="Webhook endpoint" />
      <p>
        <code>{endpoint.url}</code> · {endpoint.enabled ? "On" : "Off"}
      </p>
      {endpoint.disabledReason && (
        <p className="error" role="alert">
          Turned off: {endpoint.disabledReason}
        </p>
      )}
      {r?.notice && <p role="status">{r.notice}</p>}
      {r?.secret && (
        <p className="secret" data-testid="new-secret">
          {r.secret}
        </p>
      )}
      {r?.error && (
        <p className="error" role="alert">
          {r.error}
        </p>
      )}
      <Form method="post" className="card">
        <label htmlFor="url">Endpoint URL</label>
        <input id="url" name="url" type="url" defaultValue={endpoint.url} required />
        <fieldset>
          <legend>Events (none chosen: all of them)</legend>
          {Object.keys(webhookEventTypes).map((type) => (
            <CheckboxField
              key={type}
              name="events"
              value={type}
              defaultChecked={endpoint.events.includes(type)}
              label={<code>{type}</code>}
            />
          ))}
        </fieldset>
        <Button type="submit" name="intent" value="save" className="mt-3 mr-2">
          Save
        </Button>
      </Form>
      <Form method="post" className="inline">
        {endpoint.enabled ? (
          <Button type="submit" name="intent" value="disable" variant="secondary" className="mt-3 mr-2">
            Turn off
          </Button>
        ) : (
          <Button type="submit" name="intent" value="enable" variant="secondary" className="mt-3 mr-2">
            Turn on
          </Button>
        )}
        <Button type="submit" name="intent" value="rotate" variant="secondary" className="mt-3 mr-2">
          Rotate secret
        </Button>
        <Button type="submit" name="intent" value="delete" variant="danger" className="mt-3 mr-2">
          Delete
        </Button>
      </Form>
      <h2>Deliveries</h2>
      {deliveries.length === 0 && <p className="muted">Nothing sent yet.</p>}
      <ul className="deliveries">
        {deliveries.map((d) => (
          <li key={d.id}>
            <details>
              <summary>
                <code>{d.eventType}</code> · {d.status} · {d.attempts} {d.attempts === 1 ? "attempt" : "attempts"}
                {d.lastStatusCode != null && <> · HTTP {d.lastStatusCode}</>} · {formatDateTime(d.createdAt)}
                {d.nextAttemptAt && <> · next try {formatDateTime(d.nextAttemptAt)}</>}
              </summary>
              <h3>Request</h3>
              <pre>{`POST ${endpoint.url}\ncontent-type: application/json\nwebhook-id: ${d.messageId}\n\n${d.body}`}</pre>
              <h3>Response</h3>
              <pre>
                {d.lastError && d.lastStatusCode == null
                  ? d.lastError
                  : `${d.lastStatusCode ?? "–"}\n\n${d.response ?? ""}`}
              </pre>
              <Form method="post">
                <input type="hidden" name="deliveryId" value={d.id} />
                <Button type="submit" name="intent" value="resend" variant="secondary" size="sm">
                  Resend
                </Button>
              </Form>
            </details>
          </li>
        ))}
      </ul>
    </>
  );
}
