import { stripeClient } from "../../core/billing/stripe";
import { appUrlOf, type JobsConfig, type WebConfig } from "../../core/config";
import { createPiiCipher } from "../../core/crypto/pii";
import { fieldLogger, serviceLogger } from "../../core/telemetry";
import { createNodeDb } from "../../db/node-client";
import type { ApiServices } from "../api/context";
import type { Billing } from "../billing/billing.server";
import { type CallFeedHub, createCallFeedHub } from "../live/call-feed.server";
import { objectStoreFrom } from "../recordings/object-store.server";
import { telephonyFrom } from "../telephony/numbers.server";
import { emailTexts } from "../utils/email-texts";
import { mailerFrom } from "../utils/mail-transports.server";
import { sessionCookieFor } from "../utils/session.server";
import { authLimiters } from "../utils/throttle.server";

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

/** The web process's services: the shared ones, and what only the portal (sign-in, live calls) needs. */
export function buildWebServices(config: WebConfig) {
  const shared = buildServices(config);
  let hub: CallFeedHub | undefined;
  return {
    ...shared,
    config,
    production: config.NODE_ENV === "production",
    sessionCookie: sessionCookieFor(config),
    limiters: authLimiters(config),
    /** The LISTEN connection for live call pages, opened by the first one. */
    callFeed: () => (hub ??= createCallFeedHub({ url: config.DATABASE_URL, log: fieldLogger(serviceLogger("web")) })),
  };
}
export type WebServices = ReturnType<typeof buildWebServices>;

/** The API's view of the web process's services: the same pool, cipher and mailer as the portal's. */
export function apiServicesOf(s: WebServices): ApiServices {
  return {
    db: s.db,
    pii: s.pii,
    telephony: s.telephony,
    webhooks: { allowPrivate: s.config.WEBHOOK_ALLOW_PRIVATE_DESTINATIONS, production: s.production },
    recordings: s.recordings,
    mail: { ...s.mailer, texts: s.emails },
  };
}
