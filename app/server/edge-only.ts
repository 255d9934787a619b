import type { MiddlewareHandler } from "hono";
import { readCappedBody } from "../../core/edge/capped-body";
import { MAX_FORWARDED_BODY_BYTES } from "../../core/edge/limits";
import { EDGE_SIGNATURE_HEADER, freshEdgeHeader, verifyFromEdge } from "../../core/edge/origin-signature";
import { errorCodes } from "../../core/error-codes";

/** Paths the platform itself calls on the origin directly (Fly's health checks). */
const direct = new Set(["/health"]);

/**
 * The origin answers only requests the edge forwarded: a fresh signature over method, path,
 * request id and the body's digest, checked in constant time. Anything else (someone who found
 * the origin's address, going around the edge's limits, or a body changed on the way) gets a 403
 * and reaches nothing behind this. The body is read under the edge's cap only once the header is
 * fresh, and handed on as read (docs/decisions/0023).
 */
export function edgeOnly(secret: string, accept: { v1Until?: Date } = {}): MiddlewareHandler {
  return async (c, next) => {
    if (direct.has(c.req.path)) return next();
    const requestId = c.req.header("x-request-id") ?? null;
    const refuse = (code: "FORBIDDEN" | "PAYLOAD_TOO_LARGE" | "BAD_REQUEST", message: string) =>
      c.json({ error: { code, message, requestId } }, errorCodes[code]);
    const forbidden = () => refuse("FORBIDDEN", "Requests reach this service only through its edge.");
    const header = c.req.header(EDGE_SIGNATURE_HEADER);
    if (!freshEdgeHeader(header, Date.now(), accept)) return forbidden();
    const read = await readCappedBody(c.req.raw, MAX_FORWARDED_BODY_BYTES);
    if (!read.ok)
      return read.reason === "too_large"
        ? refuse("PAYLOAD_TOO_LARGE", `Request bodies are limited to ${MAX_FORWARDED_BODY_BYTES} bytes.`)
        : refuse("BAD_REQUEST", "The request body could not be read.");
    const url = new URL(c.req.url);
    const ok = await verifyFromEdge(
      secret,
      header,
      { method: c.req.method, path: url.pathname + url.search, requestId: requestId ?? "", body: read.body },
      Date.now(),
      accept,
    );
    if (!ok) return forbidden();
    // The body was consumed to check it: the request goes on with the bytes that were checked.
    if (c.req.method !== "GET" && c.req.method !== "HEAD") c.req.raw = new Request(c.req.raw, { body: read.body });
    return next();
  };
}
