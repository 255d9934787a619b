import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { z } from "zod";
import { getUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { emails } from "~/utils/emails.server";
import { formLimits, readForm } from "~/utils/form-body.server";
import { type FieldErrors, parseForm } from "~/utils/forms";
import { mailer } from "~/utils/mailer.server";
import { hashPassword, newPassword } from "~/utils/password.server";
import { clientIp } from "~/utils/request.server";
import { createSession } from "~/utils/session.server";
import { throttle, throttledHeaders } from "~/utils/throttle.server";
import { createAccount, EmailTakenError } from "../../db/queries/accounts";
import { issueCode } from "../../db/queries/one-time-codes";

const schema = z.object({
  name: z.string().trim().min(1, "Your name is required").max(100),
  company: z.string().trim().min(1, "Your company name is required").max(100),
  email: z.email("Enter a valid email address").max(254),
  password: newPassword,
});

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/home");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const { data: input, errors } = parseForm(schema, await readForm(request, formLimits.auth));
  if (!input) return data({ errors, throttled: null }, { status: 400 });
  const limited = await throttle("signup", { ip: clientIp(request), account: input.email });
  if (limited)
    return data({ errors: null, throttled: limited.message }, { status: 429, headers: throttledHeaders(limited) });
  try {
    const { user, tenantId } = await createAccount(db(), {
      email: input.email,
      name: input.name,
      tenantName: input.company,
      passwordHash: await hashPassword(input.password),
    });
    const code = await issueCode(db(), { userId: user.id, purpose: "verify_email", email: user.email });
    await mailer().send(emails().verifyEmail(user.email, code));
    return redirect("/verify-email", { headers: { "set-cookie": await createSession(user.id, tenantId) } });
  } catch (err) {
    if (err instanceof EmailTakenError)
      return data({ errors: { email: err.message } as FieldErrors, throttled: null }, { status: 409 });
    throw err;
  }
}

export default function Signup() {
  const result = useActionData<typeof action>();
  const errors = result?.errors;
  return (
    <main className="auth card">
      <h1>Create your BVRAI account</h1>
      <Form method="post" noValidate>
        <label htmlFor="name">Your name</label>
        <input id="name" name="name" autoComplete="name" required />
        {errors?.name && <p className="error">{errors.name}</p>}
        <label htmlFor="company">Company</label>
        <input id="company" name="company" autoComplete="organization" required />
        {errors?.company && <p className="error">{errors.company}</p>}
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="email" required />
        {errors?.email && <p className="error">{errors.email}</p>}
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={8}
          maxLength={128}
          required
        />
        <p className="muted">At least 8 characters; a long passphrase is best.</p>
        {errors?.password && <p className="error">{errors.password}</p>}
        {result?.throttled && (
          <p className="error" role="alert">
            {result.throttled}
          </p>
        )}
        <button type="submit">Sign up</button>
      </Form>
      <p>
        Have an account? <Link to="/login">Log in</Link>
      </p>
    </main>
  );
}
