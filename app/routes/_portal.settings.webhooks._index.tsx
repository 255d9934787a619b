import { type ActionFunctionArgs, type LoaderFunctionArgs, data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { createWebhookEndpoint, listWebhookEndpoints } from "../../db/queries/webhook-endpoints";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { isProduction } from "~/utils/env.server";
import { pii } from "~/utils/pii.server";

const schema = z.object({
  url: z
    .url("Enter a full URL")
    .max(2000)
    .refine((u) => !isProduction || u.startsWith("https://"), "Webhook URLs must use https"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "webhook:manage");
  const endpoints = await listWebhookEndpoints(db, pii, { tenantId });
  return { endpoints: endpoints.map((e) => ({ id: e.id, url: e.url, createdAt: e.createdAt.toISOString() })) };
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenantId, actor } = await requirePermission(request, "webhook:manage");
  const parsed = schema.safeParse({ url: String((await request.formData()).get("url") ?? "").trim() });
  if (!parsed.success) return data({ error: parsed.error.issues[0]!.message, secret: null }, { status: 400 });
  const { secret } = await createWebhookEndpoint(db, pii, { tenantId, url: parsed.data.url, events: [], actor });
  return { error: null, secret };
}

export default function Webhooks() {
  const { endpoints } = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  return (
    <>
      <h1>Webhooks</h1>
      {r?.secret && (
        <div className="banner" role="status">
          <p>Signing secret (shown once):</p>
          <p className="secret">{r.secret}</p>
        </div>
      )}
      <ul>
        {endpoints.map((e) => (
          <li key={e.id}>
            <code>{e.url}</code>
            <Form method="post" action={`/settings/webhooks/${e.id}`} className="inline">
              <button type="submit" className="danger">Delete</button>
            </Form>
          </li>
        ))}
      </ul>
      <Form method="post" className="card">
        <label htmlFor="url">Endpoint URL</label>
        <input id="url" name="url" type="url" placeholder="https://example.com/bvrai-events" required />
        {r?.error && <p className="error" role="alert">{r.error}</p>}
        <button type="submit">Add endpoint</button>
      </Form>
    </>
  );
}
