import { Hono } from "hono/tiny";
import { readCappedBody } from "../../core/edge/capped-body";
import {
  headBytes,
  MAX_FORWARDED_BODY_BYTES,
  MAX_FORWARDED_TARGET_BYTES,
  ORIGIN_MAX_HEADER_BYTES,
} from "../../core/edge/limits";
import { EDGE_SIGNATURE_HEADER, signForOrigin } from "../../core/edge/origin-signature";
import { rateLimitHeaders } from "../../core/rate-limit-windows";
import { errorResponse } from "../errors";
import { classify, clientIp } from "../front-door";
import { originTarget } from "../origin-target";
import { frontDoorLimiter } from "../rate-limit";
import type { AppEnv } from "../services";
import { log } from "../telemetry";
import { traceOf } from "../trace";

/** Headers that describe one connection, or that only the edge may set: never passed on from the client. */
const dropped = [
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "upgrade",
  "proxy-connection",
  "host",
  EDGE_SIGNATURE_HEADER,
  "x-bvrai-client-ip",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-for",
  "cf-connecting-ip",
];

/**
 * The front door: everything the edge does not answer itself (portal pages, the REST API, their
 * assets) is limited by its class, then forwarded to the origin signed, with the request id and
 * the trace, and the client's address as the edge saw it. Redirects and cookies pass through as is.
 * It goes to the origin's host whatever the request target says (`originTarget`), and its body is
 * read whole under a cap so that the signature covers it (docs/decisions/0023); responses stream.
 */
export const originProxy = new Hono<AppEnv>().all("*", async (c) => {
  const { config, db } = c.get("services");
  if (!config.ORIGIN_URL || !config.EDGE_ORIGIN_SECRET) return errorResponse(c, "NOT_FOUND", "No such route.");
  let limit: Record<string, string> = {};
  if (config.RATE_LIMITS === "on") {
    const door = await classify(c, config, db);
    const decision = await frontDoorLimiter(config, door.onFailure).check(door.checks);
    limit = rateLimitHeaders(decision);
    if (!decision.success) {
      const refused = decision.unavailable
        ? errorResponse(c, "SERVICE_UNAVAILABLE", "Sign-in is briefly unavailable; try again in a few seconds.")
        : errorResponse(c, "RATE_LIMITED", `Too many requests; try again in ${decision.resetSeconds} s.`);
      for (const [k, v] of Object.entries(limit)) refused.headers.set(k, v);
      if (decision.unavailable) refused.headers.set("Retry-After", String(decision.resetSeconds));
      return refused;
    }
  }
  const url = new URL(c.req.url);
  const target = originTarget(config.ORIGIN_URL, c.req.url);
  if (!target) return errorResponse(c, "BAD_REQUEST", "This path cannot be forwarded.");
  const path = target.pathname + target.search;
  if (path.length > MAX_FORWARDED_TARGET_BYTES)
    return errorResponse(c, "URI_TOO_LONG", `Paths and queries are limited to ${MAX_FORWARDED_TARGET_BYTES} bytes.`);
  const requestId = c.get("requestId");
  const headers = new Headers(c.req.raw.headers);
  for (const h of dropped) headers.delete(h);
  const trace = traceOf(c);
  headers.set("x-request-id", trace.requestId);
  headers.set("traceparent", trace.traceparent);
  headers.set("x-forwarded-host", url.host);
  headers.set("x-forwarded-proto", url.protocol.slice(0, -1));
  headers.set("x-bvrai-client-ip", clientIp(c));
  if (headBytes(c.req.method, path, headers) > ORIGIN_MAX_HEADER_BYTES)
    return errorResponse(
      c,
      "HEADERS_TOO_LARGE",
      `Request headers are limited to ${ORIGIN_MAX_HEADER_BYTES} bytes in all.`,
    );
  const hasBody = c.req.method !== "GET" && c.req.method !== "HEAD";
  const read = hasBody
    ? await readCappedBody(c.req.raw, MAX_FORWARDED_BODY_BYTES)
    : { ok: true as const, body: new Uint8Array(0) };
  if (!read.ok) {
    return read.reason === "too_large"
      ? errorResponse(
          c,
          "PAYLOAD_TOO_LARGE",
          `Request bodies are limited to ${MAX_FORWARDED_BODY_BYTES / 1024 / 1024} MB.`,
        )
      : errorResponse(c, "BAD_REQUEST", "The request body could not be read.");
  }
  headers.set(
    EDGE_SIGNATURE_HEADER,
    await signForOrigin(config.EDGE_ORIGIN_SECRET, { method: c.req.method, path, requestId, body: read.body }),
  );
  let res: Response;
  // The deadline is for the response's headers only: a live call's event stream may then run on.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), config.ORIGIN_TIMEOUT_MS);
  try {
    res = await fetch(target, {
      method: c.req.method,
      headers,
      body: hasBody ? read.body : undefined,
      redirect: "manual",
      signal: deadline.signal,
    });
  } catch (err) {
    const timedOut = deadline.signal.aborted;
    log("error", timedOut ? "origin timed out" : "origin unreachable", {
      err: String(err),
      requestId,
      path: url.pathname,
      timeoutMs: config.ORIGIN_TIMEOUT_MS,
    });
    return timedOut
      ? errorResponse(c, "GATEWAY_TIMEOUT", "The service took too long to answer; try again shortly.")
      : errorResponse(c, "SERVICE_UNAVAILABLE", "The service is briefly unavailable; try again shortly.");
  } finally {
    clearTimeout(timer);
  }
  const out = new Response(res.body, res);
  for (const [k, v] of Object.entries(limit)) out.headers.set(k, v);
  out.headers.set("x-request-id", requestId);
  return out;
});
