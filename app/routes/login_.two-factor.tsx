import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { AuthShell } from "~/components/auth-shell";
import { Button } from "~/components/ui/button";
import { safeRedirect } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { formLimits, readForm } from "~/utils/form-body.server";
import { clientIp } from "~/utils/request.server";
import { createSession, destroySession, getSession } from "~/utils/session.server";
import { throttle, throttledHeaders } from "~/utils/throttle.server";
import { acceptTotp, openTotpKey } from "~/utils/totp.server";
import { getUserById } from "../../db/queries/accounts";
import { recordAuditFor } from "../../db/queries/audit";
import { spendRecoveryCode } from "../../db/queries/two-factor";

/** Only a session that passed the password and waits for its second factor may be here. */
async function pendingSession(request: Request) {
  const s = await getSession(request);
  if (!s) throw redirect("/login");
  if (!s.session.twoFactorPending) throw redirect("/home");
  return s;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await pendingSession(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const { session, user } = await pendingSession(request);
  const form = await readForm(request, formLimits.auth);
  const limited = await throttle("code", { ip: clientIp(request), account: user.id });
  if (limited) return data({ error: limited.message }, { status: 429, headers: throttledHeaders(limited) });
  const full = await getUserById(db(), user.id);
  const code = String(form.get("code") ?? "").trim();
  const recovery = String(form.get("recoveryCode") ?? "").trim();
  let ok = false;
  if (full?.totpKey && code) ok = await acceptTotp(user.id, await openTotpKey(user.id, full.totpKey), code);
  else if (recovery) ok = await spendRecoveryCode(db(), { userId: user.id, code: recovery });
  const actor = { userId: user.id, ip: clientIp(request) };
  const audit = (action: "auth.login_succeeded" | "auth.login_failed", metadata: Record<string, string | boolean>) =>
    session.activeTenantId
      ? recordAuditFor(db(), { tenantId: session.activeTenantId, actor, action, metadata })
      : Promise.resolve();
  if (!ok) {
    await audit("auth.login_failed", { stage: "two_factor" });
    return data({ error: "That code is not right. Try again, or use a recovery code." }, { status: 400 });
  }
  await audit("auth.login_succeeded", { twoFactor: true, recoveryCode: Boolean(recovery && !code) });
  // Second factor passed: the waiting session is replaced by a full one with a new id.
  await destroySession(request);
  const cookie = await createSession(user.id, session.activeTenantId);
  return redirect(safeRedirect(form.get("redirectTo")), { headers: { "set-cookie": cookie } });
}

export default function TwoFactorLogin() {
  const error = useActionData<typeof action>()?.error;
  const [params] = useSearchParams();
  const redirectTo = params.get("redirectTo") ?? "/home";
  return (
    <AuthShell title={"Two-factor authentication"}>
      <Form method="post">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <label htmlFor="code">Code from your authenticator app</label>
        <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <Button type="submit" className="mt-4 w-full">
          Verify
        </Button>
      </Form>
      <details>
        <summary>Lost your device? Use a recovery code</summary>
        <Form method="post">
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <label htmlFor="recoveryCode">Recovery code</label>
          <input id="recoveryCode" name="recoveryCode" autoComplete="off" />
          <Button type="submit" className="mt-4 w-full">
            Use recovery code
          </Button>
        </Form>
      </details>
    </AuthShell>
  );
}
