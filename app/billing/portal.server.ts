import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { appUrl } from "~/utils/mailer.server";
import { stripeClient } from "../../core/billing/stripe";
import type { Billing } from "./billing.server";

/** The portal's billing: Stripe if STRIPE_SECRET_KEY is set, else SANDBOX (everyone on the trial). */
export const billing: Billing = { db, stripe: stripeClient(env), config: env, appUrl: appUrl("/").replace(/\/$/, "") };
