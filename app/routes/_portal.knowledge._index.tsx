import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, PageHeader } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { Field, Input } from "~/components/ui/field";
import { DataTable } from "~/components/ui/table";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { readForm } from "~/utils/form-body.server";
import { can } from "~/utils/permissions";
import { createKnowledgeBase, listKnowledgeBases } from "../../db/queries/knowledge";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId, role } = await requirePermission(request, "agent:read");
  const bases = await listKnowledgeBases(db(), { tenantId });
  return {
    bases: bases.map((b) => ({ ...b, createdAt: b.createdAt.toISOString() })),
    canWrite: can(role, "agent:write"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenantId } = await requirePermission(request, "agent:write");
  const name = z
    .string()
    .trim()
    .min(1, "Name the knowledge base")
    .max(80)
    .safeParse((await readForm(request)).get("name"));
  if (!name.success) return data({ error: name.error.issues[0]!.message }, { status: 400 });
  const kb = await createKnowledgeBase(db(), { tenantId, name: name.data });
  return redirect(`/knowledge/${kb.id}`);
}

export default function KnowledgeBases() {
  const { bases, canWrite } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <PageHeader
        title="Knowledge"
        description="Documents your agents answer from: add them here, then choose a knowledge base on the agent's page."
      />
      {bases.length === 0 ? (
        <EmptyState title="No knowledge bases yet">
          A knowledge base holds your price list, opening hours or handbook; agents look answers up in it during a call.
        </EmptyState>
      ) : (
        <DataTable caption="Knowledge bases">
          <thead>
            <tr>
              <th>Name</th>
              <th>Documents</th>
            </tr>
          </thead>
          <tbody>
            {bases.map((b) => (
              <tr key={b.id}>
                <td className="font-medium">
                  <Link to={`/knowledge/${b.id}`}>{b.name}</Link>
                </td>
                <td>
                  <span className="tabular-nums">{b.documents}</span>
                  {b.pending > 0 && (
                    <Badge tone="info" className="ml-2">
                      {b.pending} being processed
                    </Badge>
                  )}
                  {b.failed > 0 && (
                    <Badge tone="danger" className="ml-2">
                      {b.failed} failed
                    </Badge>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {canWrite && (
        <Card className="mt-4">
          <Form method="post" className="flex flex-wrap items-end gap-3">
            <Field label="New knowledge base" error={result?.error} className="mt-0 min-w-64 flex-1">
              {(f) => <Input {...f} name="name" placeholder="Salon handbook" required maxLength={80} />}
            </Field>
            <Button type="submit">Create</Button>
          </Form>
        </Card>
      )}
    </>
  );
}
