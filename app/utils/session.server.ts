import { createCookie } from "@remix-run/node";
import type { WebConfig } from "../../core/config";
import { randomToken, sha256Hex } from "../../core/crypto/tokens";
import { deleteSession, findSession, insertSession, touchSession } from "../../db/queries/sessions";
import { services } from "../services/current.server";
import { db } from "./db.server";

export const ABSOLUTE_LIFETIME_MS = 30 * 24 * 3600_000;
export const IDLE_TIMEOUT_MS = 7 * 24 * 3600_000;
/** A password-only session waiting for its second factor lives this long. */
const TWO_FACTOR_WINDOW_MS = 10 * 60_000;
const TOUCH_EVERY_MS = 3600_000;

// __Host- binds the cookie to this exact origin over HTTPS (no Domain, Path=/): production only.
export function sessionCookieFor(config: WebConfig) {
  const production = config.NODE_ENV === "production";
  return createCookie(production ? "__Host-bvrai_session" : "bvrai_session", {
    httpOnly: true,
    sameSite: "lax",
    secure: production,
    path: "/",
    secrets: [config.SESSION_SECRET],
    maxAge: ABSOLUTE_LIFETIME_MS / 1000,
  });
}
const sessionCookie = () => services().sessionCookie;

/** The session id is the SHA-256 of the cookie's token: a database leak yields no usable session. */
export const sessionIdFromToken = (token: string) => sha256Hex(token);

/** A brand-new session (new id on every login); returns the Set-Cookie value. */
export async function createSession(
  userId: string,
  tenantId: string | null,
  opts: { twoFactorPending?: boolean } = {},
) {
  const token = randomToken();
  const pending = opts.twoFactorPending ?? false;
  await insertSession(db(), {
    id: sessionIdFromToken(token),
    userId,
    activeTenantId: tenantId,
    twoFactorPending: pending,
    expiresAt: new Date(Date.now() + (pending ? TWO_FACTOR_WINDOW_MS : ABSOLUTE_LIFETIME_MS)),
  });
  return sessionCookie().serialize(token);
}

async function tokenFrom(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("cookie"));
  return typeof value === "string" ? value : null;
}

/** The request's live session and its user (including a session still waiting for 2FA). */
export async function getSession(request: Request) {
  const token = await tokenFrom(request);
  if (!token) return null;
  const id = sessionIdFromToken(token);
  const row = await findSession(db(), id);
  if (!row) return null;
  const now = Date.now();
  if (now >= row.session.expiresAt.getTime() || now - row.session.lastSeenAt.getTime() >= IDLE_TIMEOUT_MS) {
    await deleteSession(db(), id);
    return null;
  }
  if (now - row.session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) await touchSession(db(), id);
  return row;
}

/** Ends the request's session (if any) and returns the header that clears the cookie. */
export async function destroySession(request: Request) {
  const token = await tokenFrom(request);
  if (token) await deleteSession(db(), sessionIdFromToken(token));
  return sessionCookie().serialize("", { maxAge: 0 });
}
