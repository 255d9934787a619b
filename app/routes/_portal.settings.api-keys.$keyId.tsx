import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/card";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { requireIdParam } from "~/utils/params.server";
import { getApiKey, revokeApiKey } from "../../db/queries/api-keys";

const notFound = () => new Response("API key not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "api_key:manage");
  const key = await getApiKey(db(), { id: requireIdParam(params, "keyId", notFound), tenantId });
  if (!key) throw notFound();
  return { key };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenantId, actor } = await requirePermission(request, "api_key:manage");
  if (!(await revokeApiKey(db(), { id: requireIdParam(params, "keyId", notFound), tenantId, actor }))) throw notFound();
  return redirect("/settings/api-keys");
}

export default function RevokeKey() {
  const { key } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/settings/api-keys">← API keys</Link>
      </p>
      <PageHeader title={<>Revoke “{key.name}”</>} />
      <p>
        Requests using <code>{key.prefix}…</code> will be refused at once. This cannot be undone.
      </p>
      <Form method="post">
        <Button type="submit" variant="danger" className="mt-3 mr-2">
          Revoke key
        </Button>
      </Form>
    </>
  );
}
