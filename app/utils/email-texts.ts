import type { Mail } from "./mail-transports.server";

/** Every email we send, worded in one place; `appUrl` makes the links. Codes and links appear only in the body. */
export const emailTexts = (appUrl: (path: string) => string) => ({
  verifyEmail: (to: string, code: string): Mail => ({
    to,
    subject: `${code} is your BVRAI verification code`,
    text: `Your BVRAI verification code is ${code}.\n\nIt works once and expires in 10 minutes. If you did not sign up, ignore this email.`,
  }),
  changeEmail: (to: string, code: string): Mail => ({
    to,
    subject: `${code} confirms your new BVRAI email`,
    text: `Enter ${code} in BVRAI to make this your sign-in address.\n\nIt works once and expires in 10 minutes.`,
  }),
  resetPassword: (to: string, token: string): Mail => ({
    to,
    subject: "Reset your BVRAI password",
    text: `Choose a new password here:\n\n${appUrl(`/reset-password?token=${token}`)}\n\nThe link works once and expires in 10 minutes. If you did not ask for it, ignore this email.`,
  }),
  signInLink: (to: string, token: string): Mail => ({
    to,
    subject: "Confirm your BVRAI sign-in",
    text: `Someone signed in to BVRAI as ${to} with the right password while your account was getting many sign-in attempts from elsewhere, so we ask the mailbox to confirm it.\n\nIf it was you, finish signing in here:\n\n${appUrl(`/login/link?token=${token}`)}\n\nThe link works once and expires in 10 minutes. If it was not you, someone knows your password: choose a new one at ${appUrl("/forgot-password")}.`,
  }),
  emailChanged: (to: string, newAddress: string): Mail => ({
    to,
    subject: "Your BVRAI sign-in email was changed",
    text: `The BVRAI account that signed in as ${to} now signs in as ${maskEmail(newAddress)}, and every other session of it was signed out.\n\nIf you made this change, there is nothing to do. If you did not, someone else may control the account: reply to this email and we will help you get it back once we know it is yours. Nothing in this email can undo the change.`,
  }),
  invitation: (to: string, token: string, teamName: string, inviterName: string): Mail => ({
    to,
    subject: `${inviterName} invited you to ${teamName} on BVRAI`,
    text: `${inviterName} invited you to join ${teamName} on BVRAI.\n\nAccept the invitation:\n\n${appUrl(`/invite/${token}`)}\n\nThe link expires in 7 days.`,
  }),
});

/** `n•••@example.com`: enough for the owner to recognise, not enough to write to. */
export const maskEmail = (email: string) => {
  const at = email.lastIndexOf("@");
  return at > 0 ? `${email[0]}•••${email.slice(at)}` : "•••";
};
