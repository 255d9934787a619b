import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { releaseNumber, TelephonyError } from "~/telephony/numbers.server";
import { telephony } from "~/telephony/telephony.server";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { readForm } from "~/utils/form-body.server";
import { parseForm } from "~/utils/forms";
import { updateSchema } from "~/utils/number-form";
import { requireIdParam } from "~/utils/params.server";
import { can } from "~/utils/permissions";
import { listAgents } from "../../db/queries/agents";
import { getNumber, updateNumber } from "../../db/queries/phone-numbers";

const notFound = () => new Response("Number not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenantId, role } = await requirePermission(request, "number:read");
  const number = await getNumber(db(), { tenantId, id: requireIdParam(params, "numberId", notFound) });
  if (!number) throw notFound();
  const agents = await listAgents(db(), { tenantId });
  return { number, agents: agents.map((a) => ({ id: a.id, name: a.name })), canManage: can(role, "number:manage") };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenantId, actor } = await requirePermission(request, "number:manage");
  const id = requireIdParam(params, "numberId", notFound);
  if (!(await getNumber(db(), { tenantId, id }))) throw notFound();
  const form = await readForm(request);
  if (form.get("intent") === "release") {
    if (form.get("confirm") !== "on")
      return data(
        {
          errors: { confirm: "Tick the box to confirm: a released number may not come back." },
          problem: null,
          saved: false,
        },
        { status: 400 },
      );
    try {
      await releaseNumber(telephony(), { tenantId, actor, id });
    } catch (err) {
      if (err instanceof TelephonyError)
        return data({ errors: null, problem: err.message, saved: false }, { status: 409 });
      throw err;
    }
    return redirect("/numbers");
  }
  const { data: input, errors } = parseForm(updateSchema, form);
  if (!input) return data({ errors, problem: null, saved: false }, { status: 400 });
  if (!(await updateNumber(db(), { tenantId, actor, id, ...input }))) throw notFound();
  return { errors: null, problem: null, saved: true };
}

export default function NumberDetail() {
  const { number, agents, canManage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const field = (id: string) =>
    result?.errors?.[id as keyof typeof result.errors] && (
      <p className="error">{result.errors[id as keyof typeof result.errors]}</p>
    );
  return (
    <>
      <p>
        <Link to="/numbers">← Numbers</Link>
      </p>
      <h1>{number.e164}</h1>
      {number.configDrift && (
        <p className="banner" data-testid="number-drift">
          Twilio setup: {number.configDrift}
        </p>
      )}
      {result?.saved && <p role="status">Saved.</p>}
      {result?.problem && (
        <p className="banner" role="alert">
          {result.problem}
        </p>
      )}
      <Form method="post" className="card">
        <label htmlFor="friendlyName">Name</label>
        <input
          id="friendlyName"
          name="friendlyName"
          defaultValue={number.friendlyName ?? number.e164}
          maxLength={64}
          required
        />
        {field("friendlyName")}
        <label htmlFor="agentId">Answered by</label>
        <select id="agentId" name="agentId" defaultValue={number.agentId ?? ""}>
          <option value="">Nobody (callers hear the number is not in service)</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
        {canManage && <button type="submit">Save</button>}
      </Form>
      {canManage && (
        <Form method="post" className="card">
          <input type="hidden" name="intent" value="release" />
          <label>
            <input type="checkbox" name="confirm" value="on" className="inline" /> I understand that releasing{" "}
            {number.e164} gives it up, and it may not come back.
          </label>
          {field("confirm")}
          <button type="submit" className="danger">
            Release number
          </button>
        </Form>
      )}
    </>
  );
}
