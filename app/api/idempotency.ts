import type { Context, Next } from "hono";
import { sha256Hex } from "../../core/crypto/tokens";
import { claimIdempotencyKey, releaseIdempotencyKey, saveIdempotentAnswer } from "../../db/queries/idempotency";
import type { ApiEnv } from "./context";
import { ApiError } from "./errors";

/**
 * `Idempotency-Key` on a POST: the first request's answer is kept (encrypted) for 24 hours and a
 * retry by the same API key with the same method, path and body gets it back
 * (`Idempotent-Replayed: true`) without running again. The same key with another request is a 422,
 * while the first is still running a 409 (draft-ietf-httpapi-idempotency-key-header); a 5xx frees
 * the key. Runs only after the route's scope check (`requireScope`), so a replay never answers a key
 * that could not have made the request (docs/decisions/0024).
 */
export async function idempotency(c: Context<ApiEnv>, next: Next) {
  const key = c.req.header("idempotency-key");
  if (c.req.method !== "POST" || key === undefined) return next();
  if (!/^[\x21-\x7e]{1,255}$/.test(key))
    throw new ApiError("BAD_REQUEST", "Idempotency-Key must be 1 to 255 visible ASCII characters.");
  const { db, pii } = c.get("services");
  const { tenantId, id: apiKeyId } = c.get("key");
  const url = new URL(c.req.url);
  const requestHash = sha256Hex(`${c.req.method} ${url.pathname}${url.search}\n${sha256Hex(await c.req.text())}`);
  const claim = await claimIdempotencyKey(db, pii, { tenantId, apiKeyId, key, requestHash });
  if (claim.kind === "mismatch")
    throw new ApiError(
      "UNPROCESSABLE_CONTENT",
      "This Idempotency-Key was used with a different request; use a new key for a new request.",
    );
  if (claim.kind === "in_progress")
    throw new ApiError("CONFLICT", "A request with this Idempotency-Key is still running; retry shortly.");
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
  await saveIdempotentAnswer(db, pii, {
    tenantId,
    id: claim.id,
    status: c.res.status,
    body: await c.res
      .clone()
      .json()
      .catch(() => null),
  });
}
