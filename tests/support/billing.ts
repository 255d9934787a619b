import type { Billing } from "../../app/billing/billing.server";
import { stripeClient } from "../../core/billing/stripe";
import { loadJobsConfig } from "../../core/config";
import { startStripeFake } from "../fakes/stripe/api";
import { stripeMeters, stripePrices } from "../fakes/stripe/prices";
import { startStack } from "./stack";

/** The back half of the platform with a Stripe fake behind the edge's webhook and the jobs' meter reports. */
export async function startBillingStack(appUrl: string, opts: { edgeHasSecretKey?: boolean } = {}) {
  const keys = {
    STRIPE_SECRET_KEY: `sk_test_${crypto.randomUUID().replace(/-/g, "")}`,
    STRIPE_WEBHOOK_SECRET: `whsec_${crypto.randomUUID().replace(/-/g, "")}`,
  };
  const stripeFake = await startStripeFake({
    secretKey: keys.STRIPE_SECRET_KEY,
    webhookSecret: keys.STRIPE_WEBHOOK_SECRET,
    prices: stripePrices,
    meters: stripeMeters,
  });
  const stripeEnv = {
    STRIPE_SECRET_KEY: keys.STRIPE_SECRET_KEY,
    STRIPE_API_URL: `http://127.0.0.1:${stripeFake.port}`,
  };
  const stack = await startStack({
    appUrl,
    bindings: {
      ...(opts.edgeHasSecretKey === false ? {} : stripeEnv),
      STRIPE_WEBHOOK_SECRET: keys.STRIPE_WEBHOOK_SECRET,
    },
    jobsEnv: stripeEnv,
  });
  stripeFake.setWebhookUrl(`${stack.edgeUrl}stripe/webhook`);
  const config = loadJobsConfig({
    DATABASE_URL: appUrl,
    ...stripeEnv,
    PII_ENCRYPTION_KEYS: stack.secrets.PII_ENCRYPTION_KEYS,
    PII_BLIND_INDEX_KEY: stack.secrets.PII_BLIND_INDEX_KEY,
  });
  const billing: Billing = { db: stack.db, stripe: stripeClient(config), config, appUrl: "http://127.0.0.1:3000" };
  return {
    stack,
    stripeFake,
    billing,
    async stop() {
      await stack.stop();
      await stripeFake.stop();
    },
  };
}
