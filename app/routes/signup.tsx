import { type ActionFunctionArgs, type LoaderFunctionArgs, data, redirect } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { z } from "zod";
import { EmailTakenError, createAccount } from "../../db/queries/accounts";
import { getUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { type FieldErrors, parseForm } from "~/utils/forms";
import { hashPassword } from "~/utils/password.server";
import { createSession } from "~/utils/session.server";

const schema = z.object({
  name: z.string().trim().min(1, "Your name is required").max(100),
  company: z.string().trim().min(1, "Your company name is required").max(100),
  email: z.email("Enter a valid email address").max(254),
  password: z.string().min(8, "Use at least 8 characters").max(128, "Use at most 128 characters"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/agents");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const { data: input, errors } = parseForm(schema, await request.formData());
  if (!input) return data({ errors }, { status: 400 });
  try {
    const { user, tenantId } = await createAccount(db, {
      email: input.email,
      name: input.name,
      tenantName: input.company,
      passwordHash: await hashPassword(input.password),
    });
    return redirect("/agents", { headers: { "set-cookie": await createSession(user.id, tenantId) } });
  } catch (err) {
    if (err instanceof EmailTakenError) return data({ errors: { email: err.message } as FieldErrors }, { status: 409 });
    throw err;
  }
}

export default function Signup() {
  const errors = useActionData<typeof action>()?.errors;
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
        <input id="password" name="password" type="password" autoComplete="new-password" required />
        {errors?.password && <p className="error">{errors.password}</p>}
        <button type="submit">Sign up</button>
      </Form>
      <p>
        Have an account? <Link to="/login">Log in</Link>
      </p>
    </main>
  );
}
