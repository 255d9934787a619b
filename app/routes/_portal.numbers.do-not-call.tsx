import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { readForm } from "~/utils/form-body.server";
import { isId } from "~/utils/params.server";
import { can } from "~/utils/permissions";
import { pii } from "~/utils/pii.server";
import { PHONE_INPUT_MAX, parseTypedPhone } from "../../core/phone";
import { addDoNotCall, listDoNotCall, removeDoNotCall } from "../../db/queries/outbound-calls";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId, role } = await requirePermission(request, "number:read");
  return { entries: await listDoNotCall(db(), pii(), { tenantId }), canManage: can(role, "number:manage") };
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenantId } = await requirePermission(request, "number:manage");
  const form = await readForm(request);
  if (form.get("intent") === "remove") {
    const id = form.get("id");
    if (isId(id)) await removeDoNotCall(db(), { tenantId, id });
    return { error: null, added: null };
  }
  const parsed = parseTypedPhone(String(form.get("number") ?? ""));
  if ("error" in parsed) return data({ error: parsed.error, added: null }, { status: 400 });
  await addDoNotCall(db(), pii(), { tenantId, e164: parsed.e164 });
  return { error: null, added: parsed.e164 };
}

export default function DoNotCall() {
  const { entries, canManage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/numbers">← Numbers</Link>
      </p>
      <h1>Do-not-call list</h1>
      <p>No agent of yours will call these numbers, from the portal, the API or a campaign.</p>
      {result?.added && <p role="status">{result.added} will not be called.</p>}
      {canManage && (
        <Form method="post" className="card">
          <label htmlFor="number">Number</label>
          <input id="number" name="number" type="tel" maxLength={PHONE_INPUT_MAX} required />
          {result?.error && <p className="error">{result.error}</p>}
          <button type="submit">Add to the list</button>
        </Form>
      )}
      <ul data-testid="do-not-call">
        {entries.map((e) => (
          <li key={e.id}>
            {e.e164}{" "}
            {canManage && (
              <Form method="post" className="inline">
                <input type="hidden" name="intent" value="remove" />
                <input type="hidden" name="id" value={e.id} />
                <button type="submit" className="link">
                  Remove {e.e164}
                </button>
              </Form>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
