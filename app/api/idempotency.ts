import type { MiddlewareHandler } from "hono";
import { sha256Hex } from "../../core/crypto/tokens";
import { claimIdempotencyKey, releaseIdempotencyKey, saveIdempotentAnswer } from "../../db/queries/idempotency";
import type { ApiEnv } from "./context";
import { ApiError } from "./errors";

/**
 * `Idempotency-Key` on a POST: the first request's answer is kept for 24 hours and a retry with
 * the same key and body gets it back (`Idempotent-Replayed: true`) without running again. The same
 * key with another body, or while the first is still running, is a 409. A 5xx frees the key.
 */
export const idempotency: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const key = c.req.header("idempotency-key");
  if (c.req.method !== "POST" || key === undefined) return next();
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) throw new ApiError("BAD_REQUEST", "Idempotency-Key must be 1 to 255 visible ASCII characters.");
  const { db } = c.get("services");
  const tenantId = c.get("key").tenantId;
  const requestHash = sha256Hex(`${c.req.method} ${c.req.path}\n${await c.req.text()}`);
  const claim = await claimIdempotencyKey(db, { tenantId, key, requestHash });
  if (claim.kind === "mismatch") throw new ApiError("CONFLICT", "This Idempotency-Key was used with a different request.");
  if (claim.kind === "in_progress") throw new ApiError("CONFLICT", "A request with this Idempotency-Key is still running; retry shortly.");
  if (claim.kind === "replay") {
    c.header("idempotent-replayed", "true");
    return c.json(claim.body as object, claim.status as 200);
  }
  try {
    await next();
  } catch (err) {
    await releaseIdempotencyKey(db, { tenantId, id: claim.id });
    throw err;
  }
  if (c.res.status >= 500) return void (await releaseIdempotencyKey(db, { tenantId, id: claim.id }));
  await saveIdempotentAnswer(db, { tenantId, id: claim.id, status: c.res.status, body: await c.res.clone().json().catch(() => null) });
};
