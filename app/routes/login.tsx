import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { AuthShell } from "~/components/auth-shell";
import { Button } from "~/components/ui/button";
import { Field, Input } from "~/components/ui/field";
import { getUser, safeRedirect } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { formLimits, readForm } from "~/utils/form-body.server";
import { dummyHash, verifyPassword } from "~/utils/password.server";
import { clientIp } from "~/utils/request.server";
import { EMAIL_LINK_NOTICE, emailSignInLink, finishSignIn } from "~/utils/sign-in.server";
import { signInNeedsEmailLink, throttle, throttledHeaders } from "~/utils/throttle.server";
import { serviceLogger } from "../../core/telemetry";
import { findUserByEmail, listMemberships } from "../../db/queries/accounts";
import { recordAuditFor } from "../../db/queries/audit";

/** Every team the person belongs to sees attempts on their account. */
async function recordFailedLogin(userId: string, ip: string) {
  for (const t of await listMemberships(db(), userId))
    await recordAuditFor(db(), { tenantId: t.tenantId, actor: { userId, ip }, action: "auth.login_failed" });
}

const schema = z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(128) });

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/home");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request, formLimits.auth);
  const parsed = schema.safeParse(Object.fromEntries(form));
  const invalid = () =>
    data({ error: "That email and password do not match an account.", notice: null }, { status: 400 });
  if (!parsed.success) return invalid();
  const ip = clientIp(request);
  const limited = await throttle("login", { ip, account: parsed.data.email });
  if (limited)
    return data({ error: limited.message, notice: null }, { status: 429, headers: throttledHeaders(limited) });
  const needsEmailLink = await signInNeedsEmailLink(parsed.data.email);

  const user = await findUserByEmail(db(), parsed.data.email);
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), parsed.data.password);
  if (needsEmailLink) {
    // The same answer, as fast, whatever the password: the email or the audit entry comes after.
    if (user)
      void (ok ? emailSignInLink(user) : recordFailedLogin(user.id, ip)).catch((err) =>
        serviceLogger("web").error({ err }, "sign-in link or audit failed"),
      );
    return { error: null, notice: EMAIL_LINK_NOTICE };
  }
  if (!user) return invalid();
  if (!ok) {
    await recordFailedLogin(user.id, ip);
    return invalid();
  }
  return finishSignIn(request, user, { ip, redirectTo: safeRedirect(form.get("redirectTo")), via: "password" });
}

export default function Login() {
  const result = useActionData<typeof action>();
  const error = result?.error;
  const [params] = useSearchParams();
  return (
    <AuthShell
      title="Log in to BVRAI"
      description="Welcome back."
      footer={
        <p className="m-0">
          New here? <Link to="/signup">Create an account</Link>
        </p>
      }
    >
      <Form method="post">
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/home"} />
        <Field label="Email">{(f) => <Input {...f} name="email" type="email" autoComplete="email" required />}</Field>
        <Field label="Password">
          {(f) => <Input {...f} name="password" type="password" autoComplete="current-password" required />}
        </Field>
        <p className="mt-2 mb-0 text-right text-sm">
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {result?.notice && (
          <p role="status" className="banner">
            {result.notice}
          </p>
        )}
        <Button type="submit" className="mt-4 w-full">
          Log in
        </Button>
      </Form>
    </AuthShell>
  );
}
