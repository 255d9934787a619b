import type { MiddlewareHandler } from "hono";
import { type StripeReader, stripeReader } from "../core/billing/stripe-api";
import { type EdgeConfig, loadEdgeConfig } from "../core/config";
import { createPiiCipher, type PiiCipher } from "../core/crypto/pii";
import { requestIdFrom } from "../core/edge/request-id";
import { nextTraceparent } from "../core/edge/traceparent";
import { createEdgeDb } from "../db/edge-client";
import type { Db } from "../db/tenant";
import { errorResponse } from "./errors";
import { type Limiter, twilioLimiter } from "./rate-limit";
import { exportEdgeSpan, log } from "./telemetry";

export type Bindings = Record<string, string | undefined>;
export type Services = {
  config: EdgeConfig;
  db: () => Db;
  pii: PiiCipher;
  twilioLimiter: Limiter;
  stripe: () => StripeReader | null;
};
export type AppEnv = { Bindings: Bindings; Variables: { requestId: string; traceparent: string; services: Services } };

let parsed: { env: Bindings; config: EdgeConfig; pii: PiiCipher } | undefined;

// Parsed (and the PII keys imported) once per isolate, not per request.
function configured(env: Bindings) {
  if (parsed?.env !== env) {
    const config = loadEdgeConfig(env);
    parsed = {
      env,
      config,
      pii: createPiiCipher({ keys: config.PII_ENCRYPTION_KEYS, blindIndexKey: config.PII_BLIND_INDEX_KEY }),
    };
  }
  return parsed;
}

/** Builds the request's services once, lazily where they cost a connection, and cleans up. */
export const services: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = Date.now();
  c.set("requestId", requestIdFrom(c.req.header("x-request-id")));
  // This request's span: the trace it continues (or a new one), with a span id of its own.
  c.set("traceparent", nextTraceparent(c.req.header("traceparent")));
  c.header("x-request-id", c.get("requestId"));
  let cfg: EdgeConfig;
  let pii: PiiCipher;
  try {
    ({ config: cfg, pii } = configured(c.env ?? {}));
  } catch (err) {
    log("error", "edge misconfigured", { err: String(err), requestId: c.get("requestId") });
    return errorResponse(c, "SERVICE_UNAVAILABLE", "The service is misconfigured.");
  }
  let edgeDb: ReturnType<typeof createEdgeDb> | undefined;
  c.set("services", {
    config: cfg,
    db: () => {
      edgeDb ??= createEdgeDb(cfg.DATABASE_URL, { wsProxy: cfg.NEON_WS_PROXY, localRole: cfg.DATABASE_LOCAL_ROLE });
      return edgeDb.db;
    },
    pii,
    twilioLimiter: twilioLimiter(cfg),
    stripe: () => stripeReader(cfg),
  });
  try {
    await next();
    exportEdgeSpan(c, started);
  } finally {
    if (edgeDb) {
      const end = edgeDb.end().catch(() => {});
      try {
        c.executionCtx.waitUntil(end);
      } catch {
        await end;
      }
    }
  }
};
