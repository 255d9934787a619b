import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/card";
import { DataTable } from "~/components/ui/table";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { emails } from "~/utils/emails.server";
import { readForm } from "~/utils/form-body.server";
import { parseForm } from "~/utils/forms";
import { inviteSchema } from "~/utils/invite-form";
import { mailer } from "~/utils/mailer.server";
import { assignableRoles, can } from "~/utils/permissions";
import { PlanLimitError } from "../../core/billing/plans";
import { INVITEE_EMAIL_MAX } from "../../core/invitation-limits";
import { AlreadyMemberError, createInvitation, listInvitations } from "../../db/queries/invitations";
import { listMembers } from "../../db/queries/members";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId, role, user } = await requirePermission(request, "member:read");
  const manage = can(role, "member:manage");
  return {
    members: await listMembers(db(), { tenantId }),
    invitations: manage
      ? (await listInvitations(db(), { tenantId })).map((i) => ({ ...i, expiresAt: i.expiresAt.toISOString() }))
      : [],
    manage,
    assignable: assignableRoles(role),
    me: user.id,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenantId, tenantName, role, user, actor } = await requirePermission(request, "member:manage");
  const { data: input, errors } = parseForm(inviteSchema, await readForm(request));
  if (!input) return data({ errors, invited: null }, { status: 400 });
  if (!assignableRoles(role).includes(input.role))
    throw new Response("You cannot invite someone as owner.", { status: 403 });
  try {
    const { token } = await createInvitation(db(), { tenantId, email: input.email, role: input.role, actor });
    await mailer().send(emails().invitation(input.email, token, tenantName, user.name));
    return { errors: null, invited: input.email };
  } catch (err) {
    if (err instanceof AlreadyMemberError)
      return data({ errors: { email: err.message }, invited: null }, { status: 409 });
    if (err instanceof PlanLimitError) return data({ errors: { email: err.message }, invited: null }, { status: 403 });
    throw err;
  }
}

export default function Team() {
  const { members, invitations, manage, assignable, me } = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  return (
    <>
      <PageHeader title="Team" />
      <DataTable caption="Team members">
        <thead>
          <tr>
            <th>Name</th>
            <th>Email</th>
            <th>Role</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.id}>
              <td>
                {m.name}
                {m.userId === me && " (you)"}
              </td>
              <td>{m.email}</td>
              <td data-testid={`role-${m.email}`}>{m.role}</td>
              <td>{manage && <Link to={`/settings/team/${m.id}`}>Manage</Link>}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
      {manage && (
        <>
          <h2>Invite someone</h2>
          <Form method="post" className="card">
            <label htmlFor="email">Email</label>
            <input id="email" name="email" type="email" maxLength={INVITEE_EMAIL_MAX} required />
            {r?.errors?.email && <p className="error">{r.errors.email}</p>}
            <label htmlFor="role">Role</label>
            <select id="role" name="role" defaultValue="member">
              {assignable.map((role) => (
                <option key={role} value={role}>
                  {role}
                </option>
              ))}
            </select>
            {r?.invited && <p role="status">Invitation sent to {r.invited}.</p>}
            <Button type="submit" className="mt-3 mr-2">
              Send invitation
            </Button>
          </Form>
          {invitations.length > 0 && (
            <>
              <h2>Pending invitations</h2>
              <DataTable caption="Open invitations">
                <tbody>
                  {invitations.map((i) => (
                    <tr key={i.id}>
                      <td>{i.email}</td>
                      <td>{i.role}</td>
                      <td>expires {new Date(i.expiresAt).toLocaleDateString()}</td>
                      <td>
                        <Form method="post" action={`/settings/invitations/${i.id}`}>
                          <Button type="submit" variant="danger" size="sm">
                            Revoke
                          </Button>
                        </Form>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </DataTable>
            </>
          )}
        </>
      )}
    </>
  );
}
