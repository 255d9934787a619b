import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { z } from "zod";
import { AuthShell } from "~/components/auth-shell";
import { Button } from "~/components/ui/button";
import { Field, Input } from "~/components/ui/field";
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
    <AuthShell
      title="Create your BVRAI account"
      description="Voice agents that answer, call and report. Free trial, no card needed."
      footer={
        <p className="m-0">
          Have an account? <Link to="/login">Log in</Link>
        </p>
      }
    >
      <Form method="post" noValidate>
        <Field label="Your name" error={errors?.name}>
          {(f) => <Input {...f} name="name" autoComplete="name" required />}
        </Field>
        <Field label="Company" error={errors?.company}>
          {(f) => <Input {...f} name="company" autoComplete="organization" required />}
        </Field>
        <Field label="Email" error={errors?.email}>
          {(f) => <Input {...f} name="email" type="email" autoComplete="email" required />}
        </Field>
        <Field label="Password" hint="At least 8 characters; a long passphrase is best." error={errors?.password}>
          {(f) => (
            <Input
              {...f}
              name="password"
              type="password"
              autoComplete="new-password"
              minLength={8}
              maxLength={128}
              required
            />
          )}
        </Field>
        {result?.throttled && (
          <p className="error" role="alert">
            {result.throttled}
          </p>
        )}
        <Button type="submit" className="mt-5 w-full">
          Sign up
        </Button>
      </Form>
    </AuthShell>
  );
}
