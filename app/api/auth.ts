import type { MiddlewareHandler } from "hono";
import type { ApiScope } from "../../core/crypto/api-key";
import { addLogFields } from "../../core/telemetry";
import { verifyApiKey } from "../../db/queries/api-keys";
import type { ApiEnv } from "./context";
import { ApiError } from "./errors";
import { idempotency } from "./idempotency";

/** `Authorization: Bearer bv_live_…`: a live key of some tenant, else 401 (the same answer for every failure). */
export const apiKeyAuth: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const presented = /^Bearer (\S+)$/.exec(c.req.header("authorization") ?? "")?.[1];
  const key = presented ? await verifyApiKey(c.get("services").db, presented) : null;
  if (!key) throw new ApiError("UNAUTHORIZED", "Send a valid API key: Authorization: Bearer bv_live_…");
  c.set("key", key);
  addLogFields({ tenantId: key.tenantId });
  await next();
};

/**
 * The key must carry `scope`; which scope is missing is said, so the fix is obvious. Every route
 * starts with it, and a POST's Idempotency-Key is honoured only after it: a stored answer is never
 * replayed to a key that could not have made the request itself.
 */
export const requireScope =
  (scope: ApiScope): MiddlewareHandler<ApiEnv> =>
  async (c, next) => {
    if (!c.get("key").scopes.includes(scope)) throw new ApiError("FORBIDDEN", `This API key lacks the ${scope} scope.`);
    return idempotency(c, next);
  };
