import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createTransport } from "nodemailer";

export type Mail = { to: string; subject: string; text: string };
export type OutboxMessage = Mail & { id: string; from: string; sentAt: string };

/** Development and tests: each message is a JSON file in `dir`, newest listed first. */
export async function writeOutbox(dir: string, from: string, mail: Mail) {
  await mkdir(dir, { recursive: true });
  const message: OutboxMessage = { id: crypto.randomUUID(), from, sentAt: new Date().toISOString(), ...mail };
  await writeFile(join(dir, `${Date.now()}-${message.id}.json`), JSON.stringify(message, null, 2), { mode: 0o600 });
}

export async function readOutbox(dir: string, limit = 50): Promise<OutboxMessage[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const newest = names
    .filter((n) => n.endsWith(".json"))
    .sort()
    .reverse()
    .slice(0, limit);
  return Promise.all(newest.map(async (n) => JSON.parse(await readFile(join(dir, n), "utf8")) as OutboxMessage));
}

/**
 * Production: any SMTP relay (SES, Postmark, Resend…) given as smtp(s)://user:pass@host:port.
 * Connected and greeted within 10 s, never 30 s idle, and each message handed over within 60 s
 * (nodemailer's own timeouts are idle timers of minutes).
 */
export function smtpSender(url: string, from: string, deadlineMs = 60_000) {
  const transport = createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
  return async (mail: Mail) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the mail relay did not take the message within ${deadlineMs} ms`)),
        deadlineMs,
      );
    });
    try {
      await Promise.race([transport.sendMail({ from, ...mail }), late]);
    } finally {
      clearTimeout(timer);
    }
  };
}

export type Mailer = { send(mail: Mail): Promise<void> };

/** SMTP when configured (production requires it), else the local outbox (/dev/mailbox). */
export function mailerFrom(config: {
  MAIL_TRANSPORT: "outbox" | "smtp";
  SMTP_URL?: string;
  MAIL_OUTBOX_DIR: string;
  MAIL_FROM: string;
}): Mailer {
  if (config.MAIL_TRANSPORT === "smtp" && config.SMTP_URL)
    return { send: smtpSender(config.SMTP_URL, config.MAIL_FROM) };
  return { send: (mail) => writeOutbox(config.MAIL_OUTBOX_DIR, config.MAIL_FROM, mail) };
}
