import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
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
      <h1>Knowledge</h1>
      <p className="muted">
        Documents your agents answer from: add them here, then choose a knowledge base on the agent's page.
      </p>
      {bases.length === 0 ? (
        <p className="muted">No knowledge bases yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Documents</th>
            </tr>
          </thead>
          <tbody>
            {bases.map((b) => (
              <tr key={b.id}>
                <td>
                  <Link to={`/knowledge/${b.id}`}>{b.name}</Link>
                </td>
                <td>
                  {b.documents}
                  {b.pending > 0 && ` (${b.pending} being processed)`}
                  {b.failed > 0 && <span className="error"> ({b.failed} failed)</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canWrite && (
        <Form method="post" className="card">
          <label htmlFor="name">New knowledge base</label>
          <input id="name" name="name" placeholder="Salon handbook" required maxLength={80} />
          {result?.error && <p className="error">{result.error}</p>}
          <button type="submit">Create</button>
        </Form>
      )}
    </>
  );
}
