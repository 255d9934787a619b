import { SpanKind } from "@opentelemetry/api";
import type { MiddlewareHandler } from "hono";
import { requestIdFrom } from "../../core/edge/request-id";
import { serviceLogger, withLogFields } from "../../core/telemetry";
import { httpDuration, httpRequests } from "../../core/telemetry/metrics";
import { scrubText } from "../../core/telemetry/redact";
import { contextFrom, traced } from "../../core/telemetry/tracing";

/** Few, fixed labels: a path would give every agent id its own time series. */
const routeOf = (path: string) =>
  path.startsWith("/api/")
    ? "api"
    : path.startsWith("/assets/")
      ? "assets"
      : path.startsWith("/resources/")
        ? "resources"
        : "portal";

/**
 * Every origin request: its id (the edge's, else a new one, handed to the API and Remix), a server
 * span continuing the edge's trace, one access log line (path without the query, which may carry
 * tokens, and with an invitation's token cut out) and the request metrics.
 */
export const observe = (): MiddlewareHandler => async (c, next) => {
  const log = serviceLogger("web");
  const requestId = requestIdFrom(c.req.header("x-request-id"));
  if (c.req.header("x-request-id") !== requestId) c.req.raw.headers.set("x-request-id", requestId);
  const route = routeOf(c.req.path);
  // An invitation's path is its secret: spans and logs carry the path with tokens cut out.
  const path = scrubText(c.req.path);
  const started = performance.now();
  await withLogFields({ requestId }, () =>
    traced(
      "web",
      `${c.req.method} ${route}`,
      { "http.request.method": c.req.method, "url.path": path, "bvrai.request_id": requestId },
      async (span) => {
        await next();
        span.setAttribute("http.response.status_code", c.res.status);
        const seconds = (performance.now() - started) / 1000;
        httpRequests.inc({ route, status: `${Math.floor(c.res.status / 100)}xx` });
        httpDuration.observe({ route }, seconds);
        if (route !== "assets")
          log.info({ method: c.req.method, path, status: c.res.status, ms: Math.round(seconds * 1000) }, "request");
      },
      { kind: SpanKind.SERVER, parent: contextFrom(c.req.header("traceparent")) },
    ),
  );
};
