import { type ActionFunctionArgs, data } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { z } from "zod";
import { AuthShell } from "~/components/auth-shell";
import { Button } from "~/components/ui/button";
import { db } from "~/utils/db.server";
import { emails } from "~/utils/emails.server";
import { formLimits, readForm } from "~/utils/form-body.server";
import { mailer } from "~/utils/mailer.server";
import { clientIp } from "~/utils/request.server";
import { mayEmail, throttle, throttledHeaders } from "~/utils/throttle.server";
import { findUserByEmail } from "../../db/queries/accounts";
import { issueLinkToken } from "../../db/queries/one-time-codes";

const schema = z.object({ email: z.email("Enter a valid email address").max(254) });

export async function action({ request }: ActionFunctionArgs) {
  const parsed = schema.safeParse(Object.fromEntries(await readForm(request, formLimits.auth)));
  if (!parsed.success) return data({ error: parsed.error.issues[0]!.message, sent: false }, { status: 400 });
  const limited = await throttle("reset", { ip: clientIp(request), account: parsed.data.email });
  if (limited)
    return data({ error: limited.message, sent: false }, { status: 429, headers: throttledHeaders(limited) });
  const user = await findUserByEmail(db(), parsed.data.email);
  // Reset mail to one address is capped: the form is open to anyone.
  if (user && (await mayEmail("reset", user.email))) {
    const token = await issueLinkToken(db(), { userId: user.id, purpose: "reset_password", email: user.email });
    await mailer().send(emails().resetPassword(user.email, token));
  }
  // The same answer either way: this page must not reveal who has an account.
  return { error: null, sent: true };
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>();
  return (
    <AuthShell title={"Reset your password"}>
      {result?.sent ? (
        <p role="status">If an account uses that address, we have emailed it a link. The link expires in 10 minutes.</p>
      ) : (
        <Form method="post">
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autoComplete="email" required />
          {result?.error && (
            <p className="error" role="alert">
              {result.error}
            </p>
          )}
          <Button type="submit" className="mt-4 w-full">
            Email me a link
          </Button>
        </Form>
      )}
      <p>
        <Link to="/login">Back to log in</Link>
      </p>
    </AuthShell>
  );
}
