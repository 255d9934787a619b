import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { AuthShell } from "~/components/auth-shell";
import { Button } from "~/components/ui/button";
import { db } from "~/utils/db.server";
import { formLimits, readForm } from "~/utils/form-body.server";
import { type FieldErrors, parseForm } from "~/utils/forms";
import { hashPassword, newPassword } from "~/utils/password.server";
import { clientIp } from "~/utils/request.server";
import { createSession, getSession } from "~/utils/session.server";
import { createUser, EmailTakenError, findUserByEmail, normalizeEmail } from "../../db/queries/accounts";
import { acceptInvitation, findInvitation } from "../../db/queries/invitations";
import { setActiveTenant } from "../../db/queries/sessions";

const signupSchema = z.object({
  name: z.string().trim().min(1, "Your name is required").max(100),
  password: newPassword,
});
const gone = () =>
  new Response("This invitation has expired, was revoked or was already used. Ask for a new one.", { status: 404 });

async function context(request: Request, token: string) {
  const invitation = token.length <= 100 ? await findInvitation(db(), token) : null;
  if (!invitation) throw gone();
  const s = await getSession(request);
  const signedIn = s && !s.session.twoFactorPending ? s : null;
  return { invitation, signedIn };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { invitation, signedIn } = await context(request, params.token ?? "");
  const hasAccount = Boolean(await findUserByEmail(db(), invitation.email));
  return {
    teamName: invitation.tenantName,
    email: invitation.email,
    role: invitation.role,
    signedInAs: signedIn?.user.email ?? null,
    matches: signedIn ? normalizeEmail(signedIn.user.email) === invitation.email : false,
    hasAccount,
    path: new URL(request.url).pathname,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const { invitation, signedIn } = await context(request, token);
  const ip = clientIp(request);
  if (signedIn) {
    if (normalizeEmail(signedIn.user.email) !== invitation.email)
      throw new Response("This invitation is for another email address.", { status: 403 });
    const joined = await acceptInvitation(db(), { token, userId: signedIn.user.id, ip });
    if (!joined) throw gone();
    await setActiveTenant(db(), signedIn.session.id, joined.tenantId);
    return redirect("/home");
  }
  const { data: input, errors } = parseForm(signupSchema, await readForm(request, formLimits.auth));
  if (!input) return data({ errors }, { status: 400 });
  try {
    const user = await createUser(db(), {
      email: invitation.email,
      name: input.name,
      passwordHash: await hashPassword(input.password),
    });
    const joined = await acceptInvitation(db(), { token, userId: user.id, ip });
    if (!joined) throw gone();
    return redirect("/home", { headers: { "set-cookie": await createSession(user.id, joined.tenantId) } });
  } catch (err) {
    if (err instanceof EmailTakenError)
      return data(
        { errors: { name: "You already have an account: log in to accept." } as FieldErrors },
        { status: 409 },
      );
    throw err;
  }
}

export default function AcceptInvitation() {
  const { teamName, email, role, signedInAs, matches, hasAccount, path } = useLoaderData<typeof loader>();
  const errors: FieldErrors | undefined = useActionData<typeof action>()?.errors;
  return (
    <AuthShell title={<>Join {teamName}</>}>
      <p>
        You are invited to {teamName} on BVRAI as <strong>{role}</strong>.
      </p>
      {signedInAs && matches && (
        <Form method="post">
          <Button type="submit" className="mt-4 w-full">
            Accept invitation
          </Button>
        </Form>
      )}
      {signedInAs && !matches && (
        <p className="error">
          This invitation is for {email}, but you are signed in as {signedInAs}. Log out and open the link again.
        </p>
      )}
      {!signedInAs && hasAccount && (
        <p>
          <Link to={`/login?redirectTo=${encodeURIComponent(path)}`}>Log in as {email}</Link> to accept.
        </p>
      )}
      {!signedInAs && !hasAccount && (
        <Form method="post">
          <label htmlFor="email">Email</label>
          <input id="email" value={email} readOnly />
          <label htmlFor="name">Your name</label>
          <input id="name" name="name" autoComplete="name" required />
          {errors?.name && <p className="error">{errors.name}</p>}
          <label htmlFor="password">Choose a password</label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={8}
            maxLength={128}
            required
          />
          {errors?.password && <p className="error">{errors.password}</p>}
          <Button type="submit" className="mt-4 w-full">
            Create account and join
          </Button>
        </Form>
      )}
    </AuthShell>
  );
}
