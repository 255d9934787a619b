import { redirect } from "@remix-run/node";
import { listMemberships } from "../../db/queries/accounts";
import { recordAuditFor } from "../../db/queries/audit";
import { issueLinkToken } from "../../db/queries/one-time-codes";
import { db } from "./db.server";
import { emails } from "./emails.server";
import { mailer } from "./mailer.server";
import { createSession, destroySession } from "./session.server";
import { mayEmail } from "./throttle.server";

type Person = { id: string; email: string; totpEnabledAt: Date | null };

/**
 * The person proved who they are (a password, or an emailed sign-in link): any session the browser
 * presented ends, a new one starts (waiting for the second factor when it is on), and they go on.
 */
export async function finishSignIn(
  request: Request,
  user: Person,
  opts: { ip: string; redirectTo: string; via: "password" | "email_link" },
) {
  const tenants = await listMemberships(db(), user.id);
  const first = tenants[0];
  // With two-factor on, success is recorded once the second factor passes.
  if (first && !user.totpEnabledAt) {
    await recordAuditFor(db(), {
      tenantId: first.tenantId,
      actor: { userId: user.id, ip: opts.ip },
      action: "auth.login_succeeded",
      metadata: { twoFactor: false, via: opts.via },
    });
  }
  await destroySession(request);
  const cookie = await createSession(user.id, first?.tenantId ?? null, {
    twoFactorPending: Boolean(user.totpEnabledAt),
  });
  const to = user.totpEnabledAt
    ? `/login/two-factor?redirectTo=${encodeURIComponent(opts.redirectTo)}`
    : opts.redirectTo;
  return redirect(to, { headers: { "set-cookie": cookie } });
}

/**
 * What a sign-in on a busy account is told (docs/decisions/0025): the same words whether or not
 * the password was right, so the answer tells a guesser nothing.
 */
export const EMAIL_LINK_NOTICE =
  "This account has had many sign-in attempts from elsewhere, so we need one more proof that it is you. If the email and password were right, we have emailed a link that finishes signing in; it works once, for 10 minutes.";

/** Sends the link that finishes a sign-in whose password was right (mail to one account is capped). */
export async function emailSignInLink(user: { id: string; email: string }) {
  if (!(await mayEmail("sign_in", user.email))) return;
  const token = await issueLinkToken(db(), { userId: user.id, purpose: "sign_in", email: user.email });
  await mailer().send(emails().signInLink(user.email, token));
}
