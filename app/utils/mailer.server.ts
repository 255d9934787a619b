import { env } from "./env.server";
import { mailerFrom } from "./mail-transports.server";

export type { Mail, Mailer } from "./mail-transports.server";

/** One mailer for the portal: SMTP in production, the local outbox (/dev/mailbox) otherwise. */
export const mailer = mailerFrom(env);

export const appUrl = (path: string) => new URL(path, env.APP_URL ?? `http://127.0.0.1:${env.PORT}`).toString();
