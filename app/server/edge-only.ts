import type { MiddlewareHandler } from "hono";
import { EDGE_SIGNATURE_HEADER, verifyFromEdge } from "../../core/edge/origin-signature";

/** Paths the platform itself calls on the origin directly (Fly's health checks). */
const direct = new Set(["/health"]);

/**
 * The origin answers only requests the edge forwarded: a fresh signature over method, path and
 * request id, checked in constant time. Anything else (someone who found the origin's address,
 * going around the edge's limits) gets a 403 and reaches nothing behind this.
 */
export function edgeOnly(secret: string): MiddlewareHandler {
  return async (c, next) => {
    if (direct.has(c.req.path)) return next();
    const url = new URL(c.req.url);
    const ok = await verifyFromEdge(secret, c.req.header(EDGE_SIGNATURE_HEADER), { method: c.req.method, path: url.pathname + url.search, requestId: c.req.header("x-request-id") ?? "" });
    if (!ok) return c.json({ error: { code: "FORBIDDEN", message: "Requests reach this service only through its edge.", requestId: c.req.header("x-request-id") ?? null } }, 403);
    return next();
  };
}
