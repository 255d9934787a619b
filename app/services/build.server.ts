import { stripeClient } from "../../core/billing/stripe";
import { appUrlOf, type JobsConfig, type WebConfig } from "../../core/config";
import { createPiiCipher } from "../../core/crypto/pii";
import { createNodeDb } from "../../db/node-client";
import type { Billing } from "../billing/billing.server";
import { objectStoreFrom } from "../recordings/object-store.server";
import { telephonyFrom } from "../telephony/numbers.server";
import { emailTexts } from "../utils/email-texts";
import { mailerFrom } from "../utils/mail-transports.server";

/**
 * What the portal, the API and the jobs process share, each built once per process: one pool, one
 * cipher, one telephony, one mailer with the emails' links, the recordings store and billing.
 */
export function buildServices(config: WebConfig | JobsConfig, opts: { poolMax?: number } = {}) {
  const db = createNodeDb(config.DATABASE_URL, { max: opts.poolMax, localRole: config.DATABASE_LOCAL_ROLE });
  const pii = createPiiCipher({ keys: config.PII_ENCRYPTION_KEYS, blindIndexKey: config.PII_BLIND_INDEX_KEY });
  const appUrl = appUrlOf(config);
  const billing: Billing = { db, stripe: stripeClient(config), config, appUrl: appUrl("/").replace(/\/$/, "") };
  return {
    db,
    pii,
    appUrl,
    telephony: telephonyFrom(config, db, pii),
    mailer: mailerFrom(config),
    emails: emailTexts(appUrl),
    recordings: objectStoreFrom(config),
    billing,
  };
}
export type Services = ReturnType<typeof buildServices>;
