import type { Context } from "hono";
import { planOf } from "../core/billing/plans";
import { readCappedBody } from "../core/edge/capped-body";
import { MAX_FORWARDED_BODY_BYTES } from "../core/edge/limits";
import type { EdgeConfig } from "../core/config";
import type { OnFailure } from "../core/rate-limit";
import type { Check } from "../core/rate-limit-windows";
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
 * - Sign-in and codes: per IP and per account (the form's email), failing closed.
 * - Everything else on the portal: per IP, generous, failing open.
 */
export async function classify(c: Context<AppEnv>, config: EdgeConfig, db: Parameters<typeof cachedKeyOwner>[0]): Promise<DoorClass> {
  const path = new URL(c.req.url).pathname;
  const ip = clientIp(c);
  if (path.startsWith("/api/v1/")) {
    const presented = /^Bearer (\S+)$/.exec(c.req.header("authorization") ?? "")?.[1];
    const owner = presented ? await cachedKeyOwner(db, presented).catch(() => null) : null;
    if (!owner) return { name: "api", onFailure: "open", checks: [{ rule: { name: "api-anonymous", max: planOf("trial").api.perKeyPerMinute, windowSeconds: 60 }, key: ip }] };
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
    const checks: Check[] = [{ rule: { name: "auth-ip", max: config.RATE_LIMIT_AUTH_PER_IP_PER_MINUTE, windowSeconds: 60 }, key: ip }];
    const email = await accountOf(c);
    if (email) checks.push({ rule: { name: "auth-account", max: config.RATE_LIMIT_AUTH_PER_ACCOUNT_PER_MINUTE, windowSeconds: 60 }, key: email });
    return { name: "auth", onFailure: "closed", checks };
  }
  return { name: "portal", onFailure: "open", checks: [{ rule: { name: "portal-ip", max: config.RATE_LIMIT_PORTAL_PER_IP_PER_MINUTE, windowSeconds: 60 }, key: ip }] };
}

/** The account a sign-in form names (its email), read from a copy, under the forwarding cap, so the body still goes on. */
async function accountOf(c: Context<AppEnv>) {
  if (!c.req.header("content-type")?.includes("application/x-www-form-urlencoded")) return null;
  const read = await readCappedBody(c.req.raw.clone(), MAX_FORWARDED_BODY_BYTES);
  const text = read.ok ? new TextDecoder().decode(read.body) : "";
  const email = new URLSearchParams(text).get("email")?.trim().toLowerCase();
  return email ? email.slice(0, 320) : null;
}
