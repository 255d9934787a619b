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
  invitation: (to: string, token: string, teamName: string, inviterName: string): Mail => ({
    to,
    subject: `${inviterName} invited you to ${teamName} on BVRAI`,
    text: `${inviterName} invited you to join ${teamName} on BVRAI.\n\nAccept the invitation:\n\n${appUrl(`/invite/${token}`)}\n\nThe link expires in 7 days.`,
  }),
});
