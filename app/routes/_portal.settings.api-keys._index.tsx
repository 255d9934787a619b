import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/card";
import { CheckboxField } from "~/components/ui/field";
import { DataTable } from "~/components/ui/table";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { readForm } from "~/utils/form-body.server";
import { apiScopes } from "../../core/crypto/api-key";
import { createApiKey, listApiKeys } from "../../db/queries/api-keys";

const schema = z.object({
  name: z.string().trim().min(1, "Name the key").max(100),
  scopes: z.array(z.enum(apiScopes)).min(1, "Choose at least one scope"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "api_key:manage");
  const keys = await listApiKeys(db(), { tenantId });
  return {
    keys: keys.map((k) => ({
      ...k,
      createdAt: k.createdAt.toISOString(),
      lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    })),
    scopes: apiScopes,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenantId, actor } = await requirePermission(request, "api_key:manage");
  const form = await readForm(request);
  const parsed = schema.safeParse({ name: form.get("name"), scopes: form.getAll("scopes") });
  if (!parsed.success) return data({ error: parsed.error.issues[0]!.message, created: null }, { status: 400 });
  const created = await createApiKey(db(), { tenantId, actor, ...parsed.data });
  return { error: null, created: { key: created.key, name: parsed.data.name } };
}

export default function ApiKeys() {
  const { keys, scopes } = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  return (
    <>
      <PageHeader title="API keys" />
      {r?.created && (
        <div className="banner" role="status">
          <p>Copy the key “{r.created.name}” now. It will not be shown again.</p>
          <p className="secret" data-testid="new-api-key">
            {r.created.key}
          </p>
        </div>
      )}
      <DataTable caption="API keys">
        <thead>
          <tr>
            <th>Name</th>
            <th>Key</th>
            <th>Scopes</th>
            <th>Created</th>
            <th>Last used</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.id}>
              <td>{k.name}</td>
              <td>
                <code>{k.prefix}…</code>
              </td>
              <td>{k.scopes.join(", ")}</td>
              <td>{new Date(k.createdAt).toLocaleDateString()}</td>
              <td>{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : "never"}</td>
              <td>
                <Link to={`/settings/api-keys/${k.id}`}>Revoke…</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </DataTable>
      <h2>Create a key</h2>
      <Form method="post" className="card">
        <label htmlFor="name">Name</label>
        <input id="name" name="name" placeholder="Production backend" required />
        <fieldset>
          <legend>Scopes</legend>
          {scopes.map((s) => (
            <CheckboxField key={s} name="scopes" value={s} label={s} />
          ))}
        </fieldset>
        {r?.error && (
          <p className="error" role="alert">
            {r.error}
          </p>
        )}
        <Button type="submit" className="mt-3 mr-2">
          Create key
        </Button>
      </Form>
    </>
  );
}
