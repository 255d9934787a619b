import { Redis } from "@upstash/redis";
import type { WebConfig } from "../../core/config";
import { ipLimitKey } from "../../core/ip-limit-key";
import { type Limiter, type LimitRule, memoryLimiter, retryAfterSeconds, upstashLimiter } from "../../core/rate-limit";
import { rateLimitDecisions } from "../../core/telemetry/metrics";
import { services } from "../services/current.server";

const WINDOW_SECONDS = 15 * 60;

/** The portal's sign-in limits, built once per process (app/services). */
export function authLimiters(config: WebConfig) {
  const redis =
    config.UPSTASH_REDIS_REST_URL && config.UPSTASH_REDIS_REST_TOKEN
      ? new Redis({ url: config.UPSTASH_REDIS_REST_URL, token: config.UPSTASH_REDIS_REST_TOKEN })
      : null;
  /** Fails closed: if Redis cannot answer, the attempt is refused (docs/decisions/0004). */
  const limiter = (scope: string, max: number): Limiter => {
    const rule: LimitRule = {
      max,
      windowSeconds: WINDOW_SECONDS,
      prefix: `bvrai:rl:auth:${scope}`,
      onFailure: "closed",
    };
    return redis ? upstashLimiter(redis, rule) : memoryLimiter(rule);
  };
  // docs/decisions/0025: no limit that refuses is keyed by an account alone unless only the
  // account's own sessions can reach it, so no one else can lock its owner out.
  return {
    /** Every attempt from one network (an IPv4 address or an IPv6 /64). */
    network: limiter("ip", config.AUTH_ATTEMPTS_PER_IP),
    /** Attempts on one account from one network: whoever exhausts it locks out only themselves. */
    accountFromNetwork: limiter("account-network", config.AUTH_ATTEMPTS_PER_ACCOUNT),
    /** Attempts by the account's own sessions (its codes, re-authentication), keyed by user id. */
    ownSessions: limiter("account", config.AUTH_ATTEMPTS_PER_ACCOUNT),
    /** Sign-in attempts on one account from all networks together: past it, sign-in needs an emailed link. */
    accountEverywhere: limiter("account-all", config.AUTH_ATTEMPTS_PER_ACCOUNT_ALL_NETWORKS),
    /** Emails about one account's sign-in (reset and sign-in links): a cap on the mail anyone can cause. */
    mail: limiter("mail", config.AUTH_ATTEMPTS_PER_ACCOUNT),
  };
}
const limiters = () => services().limiters;

/** Posted by anyone (an email address names the account) or by the account's own sessions (a user id). */
export type AuthAction = "login" | "signup" | "reset" | "code" | "reauth";
const byAnyone = new Set<AuthAction>(["login", "signup", "reset"]);

export type Throttled = { message: string; retryAfter: number };

/**
 * Counts one attempt at `action` from the client's network and on the account, and returns why it
 * is refused, or null. Every check is counted even when an earlier one already refuses.
 */
export async function throttle(action: AuthAction, keys: { account?: string; ip: string }): Promise<Throttled | null> {
  const network = ipLimitKey(keys.ip);
  const checks = [limiters().network.limit(`${action}:${network}`)];
  const account = keys.account?.trim().toLowerCase();
  if (account && byAnyone.has(action))
    checks.push(limiters().accountFromNetwork.limit(`${action}:${account}|${network}`));
  else if (account) checks.push(limiters().ownSessions.limit(`${action}:${account}`));
  const refused = (await Promise.all(checks)).filter((r) => !r.success);
  rateLimitDecisions.inc({ limiter: `auth_${action}`, decision: refused.length ? "refused" : "allowed" });
  if (!refused.length) return null;
  const retryAfter = Math.max(...refused.map((r) => retryAfterSeconds(r)));
  const unavailable = refused.some((r) => r.unavailable);
  return {
    retryAfter,
    message: unavailable
      ? `We cannot check sign-in attempts right now, so we are refusing them for safety. Try again in ${retryAfter} s.`
      : `Too many attempts. Try again in ${retryAfter} s.`,
  };
}

/**
 * Counts a sign-in attempt on `email` from all networks together. True once there have been more
 * than its owner would make: then a right password must still be confirmed by an emailed link.
 */
export async function signInNeedsEmailLink(email: string) {
  const r = await limiters().accountEverywhere.limit(`login:${email.trim().toLowerCase()}`);
  rateLimitDecisions.inc({ limiter: "auth_login_all_networks", decision: r.success ? "allowed" : "email_link" });
  return !r.success;
}

/** Whether another sign-in email (`kind`) may go to this account now; each call counts one. */
export async function mayEmail(kind: "reset" | "sign_in", email: string) {
  return (await limiters().mail.limit(`${kind}:${email.trim().toLowerCase()}`)).success;
}

export const throttledHeaders = (t: Throttled) => ({ "Retry-After": String(t.retryAfter) });
