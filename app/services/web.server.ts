import type { WebConfig } from "../../core/config";
import { fieldLogger, serviceLogger } from "../../core/telemetry";
import type { ApiServices } from "../api/context";
import { type CallFeedHub, createCallFeedHub } from "../live/call-feed.server";
import { sessionCookieFor } from "../utils/session.server";
import { authLimiters } from "../utils/throttle.server";
import { buildServices } from "./build.server";

/** The portal and the API share one pool now: as many connections as their two pools had (10 and 5). */
const WEB_POOL_MAX = 15;

/** The web process's services: the shared ones, and what only the portal (sign-in, live calls) needs. */
export function buildWebServices(config: WebConfig) {
  const shared = buildServices(config, { poolMax: WEB_POOL_MAX });
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
