import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { AuthShell } from "~/components/auth-shell";
import { Button } from "~/components/ui/button";
import { db } from "~/utils/db.server";
import { formLimits, readForm } from "~/utils/form-body.server";
import { clientIp } from "~/utils/request.server";
import { finishSignIn } from "~/utils/sign-in.server";
import { getUserById, normalizeEmail } from "../../db/queries/accounts";
import { consumeLinkToken, peekLinkToken } from "../../db/queries/one-time-codes";

const live = (token: string) =>
  token.length > 0 && token.length <= 100 && peekLinkToken(db(), { purpose: "sign_in", token });

/** The emailed link that finishes a sign-in on a busy account (docs/decisions/0025). Opening it spends nothing: mail scanners open links too. */
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  return { token, valid: Boolean(await live(token)) };
}

export async function action({ request }: ActionFunctionArgs) {
  const token = String((await readForm(request, formLimits.auth)).get("token") ?? "");
  const spent = token.length <= 100 ? await consumeLinkToken(db(), { purpose: "sign_in", token }) : null;
  const user = spent ? await getUserById(db(), spent.userId) : null;
  // Sent to the address the account had then: a link to an address it no longer has opens nothing.
  if (!spent || !user || normalizeEmail(user.email) !== normalizeEmail(spent.email))
    return data({ expired: true }, { status: 400 });
  return finishSignIn(request, user, { ip: clientIp(request), redirectTo: "/home", via: "email_link" });
}

export default function SignInLink() {
  const { token, valid } = useLoaderData<typeof loader>();
  if (!valid) {
    return (
      <AuthShell title={"This link has expired"}>
        <p>
          Sign-in links work once and for 10 minutes. <Link to="/login">Log in again</Link> to get a new one.
        </p>
      </AuthShell>
    );
  }
  return (
    <AuthShell title={"Finish signing in"}>
      <Form method="post">
        <input type="hidden" name="token" value={token} />
        <Button type="submit" className="mt-4 w-full">
          Sign in
        </Button>
      </Form>
    </AuthShell>
  );
}
