import { env } from "./env.server";
import { type Mail, smtpSender, writeOutbox } from "./mail-transports.server";

export type { Mail } from "./mail-transports.server";
export type Mailer = { send(mail: Mail): Promise<void> };

/** One mailer for the portal: SMTP in production, the local outbox (/dev/mailbox) otherwise. */
export const mailer: Mailer =
  env.MAIL_TRANSPORT === "smtp" && env.SMTP_URL
    ? { send: smtpSender(env.SMTP_URL, env.MAIL_FROM) }
    : { send: (mail) => writeOutbox(env.MAIL_OUTBOX_DIR, env.MAIL_FROM, mail) };

export const appUrl = (path: string) => new URL(path, env.APP_URL ?? `http://127.0.0.1:${env.PORT}`).toString();
