import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTransport } from "nodemailer";
import { env } from "./env.server";

export type Mail = { to: string; subject: string; text: string };
export type Mailer = { send(mail: Mail): Promise<void> };
export type OutboxMessage = Mail & { id: string; from: string; sentAt: string };

/** Development and tests: each message is a JSON file, listed at /dev/mailbox. Nothing is sent. */
export function outboxMailer(dir: string, from: string): Mailer {
  return {
    async send(mail) {
      await mkdir(dir, { recursive: true });
      const message: OutboxMessage = { id: crypto.randomUUID(), from, sentAt: new Date().toISOString(), ...mail };
      await writeFile(join(dir, `${Date.now()}-${message.id}.json`), JSON.stringify(message, null, 2), { mode: 0o600 });
    },
  };
}

export async function readOutbox(dir: string, limit = 50): Promise<OutboxMessage[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const newest = names.filter((n) => n.endsWith(".json")).sort().reverse().slice(0, limit);
  return Promise.all(newest.map(async (n) => JSON.parse(await readFile(join(dir, n), "utf8")) as OutboxMessage));
}

/** Production: any SMTP relay (SES, Postmark, Resend…) given as smtp(s)://user:pass@host:port. */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = createTransport(url);
  return {
    async send(mail) {
      await transport.sendMail({ from, ...mail });
    },
  };
}

export const mailer: Mailer =
  env.MAIL_TRANSPORT === "smtp" && env.SMTP_URL ? smtpMailer(env.SMTP_URL, env.MAIL_FROM) : outboxMailer(env.MAIL_OUTBOX_DIR, env.MAIL_FROM);

export const appUrl = (path: string) => new URL(path, env.APP_URL ?? `http://127.0.0.1:${env.PORT}`).toString();
