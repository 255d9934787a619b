import type { Context } from "hono";
import { planOf } from "../core/billing/plans";
import type { EdgeConfig } from "../core/config";
import { ipLimitKey } from "../core/ip-limit-key";
import type { OnFailure } from "../core/rate-limit";
import type { Check } from "../core/rate-limit-windows";
import { readCapped } from "../core/read-capped";
import { cachedKeyOwner } from "./api-key-owners";
import type { AppEnv } from "./services";

export type DoorClass = { name: "api" | "auth" | "portal"; onFailure: OnFailure; checks: Check[] };

/** Posts that guess at a secret: a password, a code, a reset or invitation token. */
const authPosts = /^\/(login|login\/two-factor|signup|forgot-password|reset-password|verify-email|invite\/[^/]+)$/;

/** The client's address as Cloudflare sees it; "local" in development, where there is no such header. */
export const clientIp = (c: Context<AppEnv>) => c.req.header("cf-connecting-ip") ?? "local";

/**
 * Which limits a request forwarded to the origin is held to (docs/decisions/0017):
 * - API: per key by its plan and per tenant (twice the key's), sliding a minute; an unknown key
 *   per IP at the trial's rate, so guessing keys is slow too. Fails open.
 * - Sign-in and codes: per IP and per account from that IP (the form's email), failing closed.
 * - Everything else on the portal: per IP, generous, failing open.
 * "Per IP" is per IPv4 address or IPv6 /64 (core/ip-limit-key).
 */
export async function classify(
  c: Context<AppEnv>,
  config: EdgeConfig,
  db: Parameters<typeof cachedKeyOwner>[0],
): Promise<DoorClass> {
  const path = new URL(c.req.url).pathname;
  const ip = ipLimitKey(clientIp(c));
  if (path.startsWith("/api/v1/")) {
    const presented = /^Bearer (\S+)$/.exec(c.req.header("authorization") ?? "")?.[1];
    const owner = presented ? await cachedKeyOwner(db, presented).catch(() => null) : null;
    if (!owner)
      return {
        name: "api",
        onFailure: "open",
        checks: [
          { rule: { name: "api-anonymous", max: planOf("trial").api.perKeyPerMinute, windowSeconds: 60 }, key: ip },
        ],
      };
    const perKey = planOf(owner.plan).api.perKeyPerMinute;
    return {
      name: "api",
      onFailure: "open",
      checks: [
        { rule: { name: "api-key", max: perKey, windowSeconds: 60 }, key: owner.keyId },
        { rule: { name: "api-tenant", max: perKey * 2, windowSeconds: 60 }, key: owner.tenantId },
      ],
    };
  }
  if (c.req.method === "POST" && authPosts.test(path)) {
    const checks: Check[] = [
      { rule: { name: "auth-ip", max: config.RATE_LIMIT_AUTH_PER_IP_PER_MINUTE, windowSeconds: 60 }, key: ip },
    ];
    // Per account *from this network*: a limit on the account alone would let anyone lock its owner out (docs/decisions/0025).
    const email = await accountOf(c);
    if (email)
      checks.push({
        rule: { name: "auth-account", max: config.RATE_LIMIT_AUTH_PER_ACCOUNT_PER_MINUTE, windowSeconds: 60 },
        key: `${email}|${ip}`,
      });
    return { name: "auth", onFailure: "closed", checks };
  }
  return {
    name: "portal",
    onFailure: "open",
    checks: [
      { rule: { name: "portal-ip", max: config.RATE_LIMIT_PORTAL_PER_IP_PER_MINUTE, windowSeconds: 60 }, key: ip },
    ],
  };
}

/** Sign-in forms are small; a larger body is not read here (the origin refuses it: 413). */
const MAX_SIGN_IN_FORM_BYTES = 16 * 1024;

/** The account a sign-in form names (its email), read from a copy so the body still goes on. */
async function accountOf(c: Context<AppEnv>) {
  if (!c.req.header("content-type")?.includes("application/x-www-form-urlencoded")) return null;
  const bytes = await readCapped(c.req.raw.clone().body, {
    maxBytes: MAX_SIGN_IN_FORM_BYTES,
    deadlineMs: 10_000,
  }).catch(() => null);
  if (!bytes) return null;
  const text = new TextDecoder().decode(bytes);
  const email = new URLSearchParams(text).get("email")?.trim().toLowerCase();
  return email ? email.slice(0, 320) : null;
}
