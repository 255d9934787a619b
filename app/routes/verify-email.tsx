import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AuthShell } from "~/components/auth-shell";
import { Button } from "~/components/ui/button";
import { requireUser } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { emails } from "~/utils/emails.server";
import { formLimits, readForm } from "~/utils/form-body.server";
import { mailer } from "~/utils/mailer.server";
import { clientIp } from "~/utils/request.server";
import { throttle, throttledHeaders } from "~/utils/throttle.server";
import { markEmailVerified } from "../../db/queries/accounts";
import { consumeCode, issueCode } from "../../db/queries/one-time-codes";

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireUser(request);
  if (user.emailVerifiedAt) throw redirect("/home");
  return { email: user.email };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requireUser(request);
  if (user.emailVerifiedAt) throw redirect("/home");
  const form = await readForm(request, formLimits.auth);
  const limited = await throttle("code", { ip: clientIp(request), account: user.id });
  if (limited)
    return data({ error: limited.message, resent: false }, { status: 429, headers: throttledHeaders(limited) });
  if (form.get("intent") === "resend") {
    const code = await issueCode(db(), { userId: user.id, purpose: "verify_email", email: user.email });
    await mailer().send(emails().verifyEmail(user.email, code));
    return { error: null, resent: true };
  }
  const result = await consumeCode(db(), {
    userId: user.id,
    purpose: "verify_email",
    code: String(form.get("code") ?? ""),
  });
  if (!result.ok) {
    const error =
      result.reason === "expired"
        ? "That code has expired or been used. Send a new one."
        : "That code is not right. Check the email and try again.";
    return data({ error, resent: false }, { status: 400 });
  }
  await markEmailVerified(db(), user.id);
  return redirect("/home");
}

export default function VerifyEmail() {
  const { email } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <AuthShell title={"Check your email"}>
      <p>
        We sent a 6-digit code to <strong>{email}</strong>. It expires in 10 minutes.
      </p>
      <Form method="post">
        <label htmlFor="code">Verification code</label>
        <input
          id="code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="\d{6}"
          maxLength={6}
          required
        />
        {result?.error && (
          <p className="error" role="alert">
            {result.error}
          </p>
        )}
        {result?.resent && <p role="status">A new code is on its way.</p>}
        <Button type="submit" className="mt-4 w-full">
          Verify
        </Button>
      </Form>
      <Form method="post">
        <input type="hidden" name="intent" value="resend" />
        <Button type="submit" variant="ghost" className="mt-2 w-full">
          Send a new code
        </Button>
      </Form>
    </AuthShell>
  );
}
