import type { Micros } from "../money";

export const planIds = ["trial", "payg", "pro"] as const;
export type PlanId = (typeof planIds)[number];

export type PlanLimits = { concurrentCalls: number; phoneNumbers: number; agents: number; seats: number };
/** API requests a minute per key; a tenant's keys together get twice that (enforced at the edge). */
export type ApiRate = { perKeyPerMinute: number };
export type Plan = {
  id: PlanId;
  name: string;
  /** What the subscription costs each month, before usage. */
  monthlyFeeMicros: Micros;
  /** Call seconds each period that cost nothing beyond the fee. */
  includedSeconds: bigint;
  /** Each second beyond the included ones. Zero on the trial: its calls stop instead (`hardCap`). */
  overageMicrosPerSecond: Micros;
  /** The trial's included seconds are all there is: calls are refused once they are used. */
  hardCap: boolean;
  limits: PlanLimits;
  api: ApiRate;
};

/**
 * The plans, in one place (docs/decisions/0014). Stripe holds the matching prices: a flat monthly
 * price for the fee and a metered price on the call-seconds meter, graduated so the included
 * seconds are free; their ids come from configuration (STRIPE_PRICE_*).
 */
export const plans: Record<PlanId, Plan> = {
  trial: {
    id: "trial",
    name: "Free trial",
    monthlyFeeMicros: 0n,
    includedSeconds: 60n * 60n,
    overageMicrosPerSecond: 0n,
    hardCap: true,
    limits: { concurrentCalls: 5, phoneNumbers: 3, agents: 5, seats: 3 },
    api: { perKeyPerMinute: 60 },
  },
  payg: {
    id: "payg",
    name: "Pay as you go",
    monthlyFeeMicros: 0n,
    includedSeconds: 0n,
    overageMicrosPerSecond: 1_500n, // $0.09 a minute
    hardCap: false,
    limits: { concurrentCalls: 20, phoneNumbers: 10, agents: 25, seats: 10 },
    api: { perKeyPerMinute: 300 },
  },
  pro: {
    id: "pro",
    name: "Pro",
    monthlyFeeMicros: 99_000_000n,
    includedSeconds: 2_000n * 60n,
    overageMicrosPerSecond: 1_000n, // $0.06 a minute
    hardCap: false,
    limits: { concurrentCalls: 100, phoneNumbers: 50, agents: 200, seats: 50 },
    api: { perKeyPerMinute: 1200 },
  },
};

export const planOf = (id: string | null | undefined): Plan =>
  plans[(planIds as readonly string[]).includes(id ?? "") ? (id as PlanId) : "trial"];

/**
 * The one rounding and pricing rule: a call of `seconds` (already whole, every started second
 * counted) when `usedBefore` seconds of the period are spent costs only what lies beyond the
 * included seconds. Summed over a period in any order, this is (total − included)⁺ × rate.
 */
export function callCharge(plan: Plan, usedBefore: bigint, seconds: bigint): Micros {
  const freeLeft = plan.includedSeconds > usedBefore ? plan.includedSeconds - usedBefore : 0n;
  const beyond = seconds > freeLeft ? seconds - freeLeft : 0n;
  return beyond * plan.overageMicrosPerSecond;
}

/** Says which limit was reached and how to raise it. */
export const limitMessage = (plan: Plan, what: keyof PlanLimits, noun: string) =>
  `Your ${plan.name} plan allows ${plan.limits[what]} ${noun}. ${plan.id === "pro" ? "Contact us to raise it." : "Upgrade under Settings → Billing for more."}`;

/** Days a failed payment is tolerated before new calls are refused. */
/** The shares of a plan's included seconds at which a `usage.threshold` webhook is sent. */
export const USAGE_THRESHOLDS = [80, 100] as const;

/** The thresholds a call of `seconds` crosses, having started at `usedBefore` (none for a plan with nothing included). */
export function thresholdsCrossed(plan: Plan, usedBefore: bigint, seconds: bigint) {
  if (plan.includedSeconds === 0n) return [];
  const after = usedBefore + seconds;
  return USAGE_THRESHOLDS.filter((pct) => {
    const mark = (plan.includedSeconds * BigInt(pct)) / 100n;
    return usedBefore < mark && after >= mark;
  });
}

export const GRACE_DAYS = 7;
/** When a payment failing since `since` starts refusing new calls. */
export const graceEndsAt = (since: Date) => new Date(since.getTime() + GRACE_DAYS * 86_400_000);
export type Standing = { ok: true } | { ok: false; reason: "payment_failed" | "trial_used" };

/** Why calls are refused, told to the tenant (never to a caller), with what lifts it. */
export const standingMessage = (reason: "payment_failed" | "trial_used") =>
  reason === "payment_failed"
    ? "Calls are paused because the last payment failed. Update the payment method under Settings → Billing; calls resume as soon as it is paid."
    : "The free trial's included minutes are used up. Choose a plan under Settings → Billing to keep calling.";

/** A plan limit reached; the message says which and how to raise it. */
export class PlanLimitError extends Error {
  override name = "PlanLimitError";
}

/** What a caller hears when the team already has as many live calls as its plan allows. */
export const BUSY_LINE = "Sorry, all our lines are busy right now. Please call back in a few minutes. Goodbye.";
