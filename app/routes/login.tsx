import { type ActionFunctionArgs, type LoaderFunctionArgs, data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { findUserByEmail, listMemberships } from "../../db/queries/accounts";
import { getUser, safeRedirect } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { dummyHash, verifyPassword } from "~/utils/password.server";
import { createSession, destroySession } from "~/utils/session.server";

const schema = z.object({ email: z.string().trim().min(1), password: z.string().min(1).max(128) });

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/agents");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const parsed = schema.safeParse(Object.fromEntries(form));
  const invalid = () => data({ error: "That email and password do not match an account." }, { status: 400 });
  if (!parsed.success) return invalid();
  const user = await findUserByEmail(db, parsed.data.email);
  const ok = await verifyPassword(user?.passwordHash ?? dummyHash, parsed.data.password);
  if (!user || !ok) return invalid();
  // A new session id on every login; any session the browser presented is ended.
  await destroySession(request);
  const [first] = await listMemberships(db, user.id);
  const cookie = await createSession(user.id, first?.tenantId ?? null);
  return redirect(safeRedirect(form.get("redirectTo")), { headers: { "set-cookie": cookie } });
}

export default function Login() {
  const error = useActionData<typeof action>()?.error;
  const [params] = useSearchParams();
  return (
    <main className="auth card">
      <h1>Log in to BVRAI</h1>
      <Form method="post">
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/agents"} />
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="email" required />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        {error && <p className="error" role="alert">{error}</p>}
        <button type="submit">Log in</button>
      </Form>
      <p>
        New here? <Link to="/signup">Create an account</Link>
      </p>
    </main>
  );
}
