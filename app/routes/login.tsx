import { type ActionFunctionArgs, type LoaderFunctionArgs, data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { findUserByEmail, listMemberships } from "../../db/queries/accounts";
import { recordAuditFor } from "../../db/queries/audit";
import { getUser, safeRedirect } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { dummyHash, verifyPassword } from "~/utils/password.server";
import { clientIp } from "~/utils/request.server";
import { createSession, destroySession } from "~/utils/session.server";
import { throttle, throttledHeaders } from "~/utils/throttle.server";
import { formLimits, readForm } from "~/utils/form-body.server";

const schema = z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(128) });

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/agents");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request, formLimits.auth);
  const parsed = schema.safeParse(Object.fromEntries(form));
  const invalid = () => data({ error: "That email and password do not match an account." }, { status: 400 });
  if (!parsed.success) return invalid();
  const ip = clientIp(request);
  const limited = await throttle("login", { ip, account: parsed.data.email });
  if (limited) return data({ error: limited.message }, { status: 429, headers: throttledHeaders(limited) });

  const user = await findUserByEmail(db, parsed.data.email);
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), parsed.data.password);
  if (!user) return invalid();
  const tenants = await listMemberships(db, user.id);
  const actor = { userId: user.id, ip };
  if (!ok) {
    // Every team the person belongs to sees attempts on their account.
    for (const t of tenants) await recordAuditFor(db, { tenantId: t.tenantId, actor, action: "auth.login_failed" });
    return invalid();
  }
  const first = tenants[0];
  // With two-factor on, success is recorded once the second factor passes.
  if (first && !user.totpEnabledAt) await recordAuditFor(db, { tenantId: first.tenantId, actor, action: "auth.login_succeeded", metadata: { twoFactor: false } });
  // A new session id on every login; any session the browser presented is ended.
  await destroySession(request);
  const cookie = await createSession(user.id, first?.tenantId ?? null, { twoFactorPending: Boolean(user.totpEnabledAt) });
  const to = safeRedirect(form.get("redirectTo"));
  return redirect(user.totpEnabledAt ? `/login/two-factor?redirectTo=${encodeURIComponent(to)}` : to, { headers: { "set-cookie": cookie } });
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
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New here? <Link to="/signup">Create an account</Link>
      </p>
    </main>
  );
}
