import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/card";
import { DataTable } from "~/components/ui/table";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { requireIdParam } from "~/utils/params.server";
import { can } from "~/utils/permissions";
import { getKnowledgeBase, listDocuments } from "../../db/queries/knowledge";
import { knowledgeAction } from "./_portal.knowledge.$kbId.server";

const notFound = () => new Response("Knowledge base not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenantId, role } = await requirePermission(request, "agent:read");
  const kb = await getKnowledgeBase(db(), { tenantId, id: requireIdParam(params, "kbId", notFound) });
  if (!kb) throw notFound();
  const documents = await listDocuments(db(), { tenantId, knowledgeBaseId: kb.id });
  return {
    kb: { id: kb.id, name: kb.name },
    documents: documents.map((d) => ({ ...d, createdAt: d.createdAt.toISOString() })),
    canWrite: can(role, "agent:write"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenantId } = await requirePermission(request, "agent:write");
  const kbId = requireIdParam(params, "kbId", notFound);
  if (!(await getKnowledgeBase(db(), { tenantId, id: kbId }))) throw notFound();
  // The body is read inside, within the upload's limits (app/knowledge/upload.server.ts).
  const result = await knowledgeAction(request, { tenantId, kbId });
  if (result === "deleted") return redirect("/knowledge");
  if (!result) throw notFound();
  return result;
}

const statusText = { queued: "Queued", processing: "Processing…", ready: "Ready", failed: "Failed" } as const;

function DocumentButton({ intent, id, label }: { intent: string; id: string; label: string }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="documentId" value={id} />
      <Button type="submit" variant="secondary" size="sm">
        {label}
      </Button>
    </Form>
  );
}

export default function KnowledgeBase() {
  const { kb, documents, canWrite } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { revalidate, state } = useRevalidator();
  const busy = documents.some((d) => d.status === "queued" || d.status === "processing");
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => state === "idle" && revalidate(), 1500);
    return () => clearInterval(timer);
  }, [busy, revalidate, state]);
  return (
    <>
      <PageHeader title={kb.name} />
      <p>
        <Link to="/knowledge">All knowledge bases</Link>
      </p>
      {result && "added" in result && result.added && <p role="status">Added {result.added}; it is being processed.</p>}
      {busy && (
        <p className="muted">
          Documents are read and indexed in the background; this page follows until they are done.
        </p>
      )}
      {result && "error" in result && result.error && (
        <p className="error" role="alert">
          {result.error}
        </p>
      )}
      <DataTable caption="Documents">
        <thead>
          <tr>
            <th>Document</th>
            <th>Type</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {documents.map((d) => (
            <tr key={d.id} data-testid="kb-document">
              <td>{d.name}</td>
              <td>{d.kind}</td>
              <td data-testid="kb-document-status">
                {statusText[d.status]}
                {d.status === "ready" && ` (${d.chunks} passages)`}
                {d.status === "failed" && `: ${d.error}`}
              </td>
              <td>
                {canWrite && d.status === "failed" && (
                  <DocumentButton intent="retry-document" id={d.id} label="Try again" />
                )}
                {canWrite && <DocumentButton intent="delete-document" id={d.id} label="Remove" />}
              </td>
            </tr>
          ))}
        </tbody>
      </DataTable>
      {canWrite && (
        <>
          <Form method="post" encType="multipart/form-data" className="card">
            <label htmlFor="file">Upload a document (.txt, .md, .html or .pdf, up to 5 MB)</label>
            <input id="file" name="file" type="file" accept=".txt,.md,.markdown,.html,.htm,.pdf" required />
            <Button type="submit" name="intent" value="upload" className="mt-3 mr-2">
              Upload
            </Button>
          </Form>
          <Form method="post" className="card">
            <label htmlFor="title">Or paste text: title</label>
            <input id="title" name="title" maxLength={120} />
            <label htmlFor="text">Text</label>
            <textarea id="text" name="text" rows={6} />
            <Button type="submit" name="intent" value="paste" className="mt-3 mr-2">
              Add text
            </Button>
          </Form>
          <Form
            method="post"
            onSubmit={(e) => !confirm("Delete this knowledge base and its documents?") && e.preventDefault()}
          >
            <input type="hidden" name="intent" value="delete-base" />
            <Button type="submit" variant="danger" className="mt-3 mr-2">
              Delete knowledge base
            </Button>
          </Form>
        </>
      )}
    </>
  );
}
