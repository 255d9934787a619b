import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/ui/button";
import { Card, PageHeader } from "~/components/ui/card";
import { CheckboxField } from "~/components/ui/field";
import { requireTenant } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { countOtherSessions } from "../../db/queries/sessions";
import { accountAction } from "./_portal.settings.account.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, session } = await requireTenant(request);
  return { email: user.email, otherSessions: await countOtherSessions(db(), user.id, session.id) };
}

export async function action({ request }: ActionFunctionArgs) {
  const result = await accountAction(request);
  return data(result, { status: result.status, headers: result.headers });
}

export default function Account() {
  const { email, otherSessions } = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  return (
    <>
      <PageHeader title="Account" />
      {r?.message && <p role="status">{r.message}</p>}
      <Card>
        <h2>Password</h2>
        <Form method="post">
          <input type="hidden" name="intent" value="password" />
          <label htmlFor="currentPassword">Current password</label>
          <input id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" required />
          <label htmlFor="newPassword">New password</label>
          <input
            id="newPassword"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            minLength={8}
            maxLength={128}
            required
          />
          <CheckboxField name="keepOtherSessions" value="on" label={<>Keep me signed in on my other devices</>} />
          {r?.intent === "password" && r.error && (
            <p className="error" role="alert">
              {r.error}
            </p>
          )}
          <Button type="submit" className="mt-3 mr-2">
            Change password
          </Button>
        </Form>
      </Card>
      <Card>
        <h2>Email</h2>
        <p>
          You sign in as <strong data-testid="account-email">{email}</strong>.
        </p>
        {r?.intent === "email" && r.pendingEmail ? (
          <Form method="post">
            <input type="hidden" name="intent" value="confirm-email" />
            <label htmlFor="code">Code sent to {r.pendingEmail}</label>
            <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} required />
            <Button type="submit" className="mt-3 mr-2">
              Confirm new email
            </Button>
          </Form>
        ) : (
          <Form method="post">
            <input type="hidden" name="intent" value="email" />
            <label htmlFor="newEmail">New email</label>
            <input id="newEmail" name="newEmail" type="email" autoComplete="email" required />
            <label htmlFor="emailPassword">Current password</label>
            <input id="emailPassword" name="currentPassword" type="password" autoComplete="current-password" required />
            <Button type="submit" className="mt-3 mr-2">
              Send confirmation code
            </Button>
          </Form>
        )}
        {(r?.intent === "email" || r?.intent === "confirm-email") && r.error && (
          <p className="error" role="alert">
            {r.error}
          </p>
        )}
      </Card>
      <Card>
        <h2>Sessions</h2>
        <p>
          You are signed in on {otherSessions} other {otherSessions === 1 ? "device" : "devices"}.
        </p>
        <Form method="post">
          <input type="hidden" name="intent" value="logout-others" />
          <Button type="submit" className="mt-3 mr-2">
            Log out other sessions
          </Button>
        </Form>
      </Card>
    </>
  );
}
