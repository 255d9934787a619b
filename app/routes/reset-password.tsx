import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { AuthShell } from "~/components/auth-shell";
import { Button } from "~/components/ui/button";
import { db } from "~/utils/db.server";
import { formLimits, readForm } from "~/utils/form-body.server";
import { parseForm } from "~/utils/forms";
import { hashPassword, newPassword } from "~/utils/password.server";
import { markEmailVerified, setPasswordHash } from "../../db/queries/accounts";
import { consumeLinkToken, peekLinkToken } from "../../db/queries/one-time-codes";
import { deleteUserSessions } from "../../db/queries/sessions";

const schema = z.object({ token: z.string().min(1).max(100), password: newPassword });

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  return {
    token,
    valid: token.length > 0 && token.length <= 100 && (await peekLinkToken(db(), { purpose: "reset_password", token })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { data: input, errors } = parseForm(schema, await readForm(request, formLimits.auth));
  if (!input) return data({ errors, expired: false }, { status: 400 });
  const spent = await consumeLinkToken(db(), { purpose: "reset_password", token: input.token });
  if (!spent) return data({ errors: null, expired: true }, { status: 400 });
  await setPasswordHash(db(), spent.userId, await hashPassword(input.password));
  // The link proves the mailbox; every session ends, so whoever knew the old password is out.
  await markEmailVerified(db(), spent.userId);
  await deleteUserSessions(db(), spent.userId);
  return redirect("/login?reset=1");
}

export default function ResetPassword() {
  const { token, valid } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!valid || result?.expired) {
    return (
      <AuthShell title={"This link has expired"}>
        <p>
          Reset links work once and for 10 minutes. <Link to="/forgot-password">Send a new link</Link>.
        </p>
      </AuthShell>
    );
  }
  return (
    <AuthShell title={"Choose a new password"}>
      <Form method="post">
        <input type="hidden" name="token" value={token} />
        <label htmlFor="password">New password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={8}
          maxLength={128}
          required
        />
        {result?.errors?.password && <p className="error">{result.errors.password}</p>}
        <Button type="submit" className="mt-4 w-full">
          Set password
        </Button>
      </Form>
    </AuthShell>
  );
}
