import { z } from "zod";
import { requireTenant } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { emails } from "~/utils/emails.server";
import { readForm } from "~/utils/form-body.server";
import { mailer } from "~/utils/mailer.server";
import { hashPassword, newPassword } from "~/utils/password.server";
import { reauthenticate } from "~/utils/reauth.server";
import { throttle, throttledHeaders } from "~/utils/throttle.server";
import { EmailTakenError, findUserByEmail, setEmail, setPasswordHash } from "../../db/queries/accounts";
import { recordAuditFor } from "../../db/queries/audit";
import { consumeCode, issueCode } from "../../db/queries/one-time-codes";
import { deleteUserSessions } from "../../db/queries/sessions";

type Result = {
  intent: string;
  status: number;
  error?: string;
  message?: string;
  pendingEmail?: string;
  headers?: HeadersInit;
};

/** Password change, email change (re-authenticated, confirmed by a code) and session clean-up. */
export async function accountAction(request: Request): Promise<Result> {
  const { user, session, tenantId, actor } = await requireTenant(request);
  const form = Object.fromEntries(await readForm(request));
  const intent = String(form.intent ?? "");
  const reauth = async () => {
    const refused = await reauthenticate(request, user.id, { password: String(form.currentPassword ?? "") });
    return refused && { intent, ...refused };
  };

  if (intent === "password") {
    const refused = await reauth();
    if (refused) return refused;
    const parsed = newPassword.safeParse(form.newPassword);
    if (!parsed.success) return { intent, status: 400, error: parsed.error.issues[0]!.message };
    await setPasswordHash(db(), user.id, await hashPassword(parsed.data));
    if (form.keepOtherSessions !== "on") await deleteUserSessions(db(), user.id, session.id);
    await recordAuditFor(db(), {
      tenantId,
      actor,
      action: "auth.password_changed",
      metadata: { otherSessionsEnded: form.keepOtherSessions !== "on" },
    });
    return { intent, status: 200, message: "Password changed." };
  }
  if (intent === "email") {
    const refused = await reauth();
    if (refused) return refused;
    const parsed = z
      .email()
      .max(254)
      .safeParse(String(form.newEmail ?? "").trim());
    if (!parsed.success) return { intent, status: 400, error: "Enter a valid email address." };
    if (await findUserByEmail(db(), parsed.data)) return { intent, status: 409, error: new EmailTakenError().message };
    const code = await issueCode(db(), { userId: user.id, purpose: "change_email", email: parsed.data });
    await mailer().send(emails().changeEmail(parsed.data, code));
    return { intent, status: 200, pendingEmail: parsed.data, message: `We sent a code to ${parsed.data}.` };
  }
  if (intent === "confirm-email") {
    const limited = await throttle("code", { ip: actor.ip ?? "unknown", account: user.id });
    if (limited) return { intent, status: 429, error: limited.message, headers: throttledHeaders(limited) };
    const result = await consumeCode(db(), { userId: user.id, purpose: "change_email", code: String(form.code ?? "") });
    if (!result.ok) return { intent, status: 400, error: "That code is not right or has expired. Start again." };
    try {
      await setEmail(db(), user.id, result.email);
    } catch (err) {
      if (err instanceof EmailTakenError) return { intent, status: 409, error: err.message };
      throw err;
    }
    // Whoever else is signed in is signed out, and the old address hears of it (docs/decisions/0025).
    await deleteUserSessions(db(), user.id, session.id);
    await mailer().send(emails().emailChanged(user.email, result.email));
    await recordAuditFor(db(), {
      tenantId,
      actor,
      action: "auth.email_changed",
      metadata: { otherSessionsEnded: true },
    });
    return {
      intent,
      status: 200,
      message: "Your email address is changed. Your other sessions are signed out, and your old address was told.",
    };
  }
  if (intent === "logout-others") {
    await deleteUserSessions(db(), user.id, session.id);
    return { intent, status: 200, message: "Your other sessions are logged out." };
  }
  return { intent, status: 400, error: "Unknown action." };
}
