import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, type Params, useActionData, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/card";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { readForm } from "~/utils/form-body.server";
import { requireIdParam } from "~/utils/params.server";
import { assignableRoles, can } from "~/utils/permissions";
import { changeRole, getMember, removeMember } from "../../db/queries/members";
import { roles } from "../../db/schema";

const notFound = () => new Response("Member not found", { status: 404 });
const lastOwner = "A team must keep at least one owner. Make someone else an owner first.";

async function load(request: Request, params: Params) {
  const ctx = await requirePermission(request, "member:manage");
  const member = await getMember(db(), { id: requireIdParam(params, "memberId", notFound), tenantId: ctx.tenantId });
  if (!member) throw notFound();
  // Admins manage admins, members and viewers; only owners touch an owner.
  if (member.role === "owner" && !can(ctx.role, "member:manage_owners"))
    throw new Response("Only an owner can change an owner.", { status: 403 });
  return { ctx, member };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { ctx, member } = await load(request, params);
  return { member, assignable: assignableRoles(ctx.role) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { ctx, member } = await load(request, params);
  const form = await readForm(request);
  const { tenantId, actor } = ctx;
  if (form.get("intent") === "remove") {
    const result = await removeMember(db(), { id: member.id, tenantId, actor });
    if (result.ok) return redirect("/settings/team");
    if (result.reason === "not_found") throw notFound();
    return data({ error: lastOwner }, { status: 409 });
  }
  const role = String(form.get("role") ?? "");
  const allowed = assignableRoles(ctx.role);
  if (!(roles as readonly string[]).includes(role)) return data({ error: "Choose a role." }, { status: 400 });
  if (!allowed.includes(role as never)) throw new Response("You cannot give that role.", { status: 403 });
  const result = await changeRole(db(), { id: member.id, tenantId, role: role as (typeof roles)[number], actor });
  if (result.ok) return redirect("/settings/team");
  if (result.reason === "not_found") throw notFound();
  return data({ error: lastOwner }, { status: 409 });
}

export default function ManageMember() {
  const { member, assignable } = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/settings/team">← Team</Link>
      </p>
      <PageHeader title={member.name} />
      <p>{member.email}</p>
      {r?.error && (
        <p className="error" role="alert">
          {r.error}
        </p>
      )}
      <Form method="post" className="card">
        <label htmlFor="role">Role</label>
        <select id="role" name="role" defaultValue={member.role}>
          {assignable.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
        <Button type="submit" className="mt-3 mr-2">
          Change role
        </Button>
      </Form>
      <Form method="post">
        <input type="hidden" name="intent" value="remove" />
        <Button type="submit" variant="danger" className="mt-3 mr-2">
          Remove from team
        </Button>
      </Form>
    </>
  );
}
