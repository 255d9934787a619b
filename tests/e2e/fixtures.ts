import type { BrowserContext } from "@playwright/test";
import { createCookie } from "@remix-run/node";
import { readOutbox } from "../../app/utils/mail-transports.server";
import { randomToken, sha256Hex } from "../../core/crypto/tokens";
import { ownerQuery } from "../support/seed";
import { e2e } from "./settings";

const cookie = createCookie("bvrai_session", {
  secrets: [e2e.sessionSecret],
  path: "/",
  httpOnly: true,
  sameSite: "lax",
});

/** Logs a user in the Epic Stack way: a session row written directly, its signed cookie set. */
export async function loginAs(context: BrowserContext, userId: string, tenantId: string | null) {
  const token = randomToken();
  await ownerQuery(
    e2e.ownerUrl,
    "insert into sessions (id, user_id, active_tenant_id, expires_at) values ($1, $2, $3, now() + interval '1 day')",
    [sha256Hex(token), userId, tenantId],
  );
  await context.addCookies([
    { name: "bvrai_session", value: await signedCookieValue(token), url: e2e.webUrl, httpOnly: true, sameSite: "Lax" },
  ]);
  return token;
}

export async function signedCookieValue(token: string) {
  return (await cookie.serialize(token)).split(";")[0]!.slice("bvrai_session=".length);
}

/** The newest message the platform sent to `to` (from the development outbox). */
export async function latestMail(to: string) {
  for (let i = 0; i < 50; i++) {
    const m = (await readOutbox(e2e.mailbox, 500)).find((x) => x.to === to);
    if (m) return m;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${to}`);
}
