import { services } from "../services/current.server";

export type { Mail, Mailer } from "./mail-transports.server";

/** One mailer for the web process: SMTP in production, the local outbox (/dev/mailbox) otherwise. */
export const mailer = () => services().mailer;
