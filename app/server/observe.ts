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
 * A request its client gave up on (a browser cancelling a prefetch or a superseded navigation)
 * makes Remix throw, and the 500 it answers reaches no one: it is logged and counted as 499
 * ("client closed request"), so a 5xx always means the server failed.
 */
export const CLIENT_CLOSED = 499;
const statusOf = (status: number, aborted: boolean) => (aborted && status >= 500 ? CLIENT_CLOSED : status);

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
        const status = statusOf(c.res.status, c.req.raw.signal.aborted);
        span.setAttribute("http.response.status_code", status);
        const seconds = (performance.now() - started) / 1000;
        httpRequests.inc({ route, status: `${Math.floor(status / 100)}xx` });
        httpDuration.observe({ route }, seconds);
        if (route !== "assets")
          log.info({ method: c.req.method, path, status, ms: Math.round(seconds * 1000) }, "request");
      },
      { kind: SpanKind.SERVER, parent: contextFrom(c.req.header("traceparent")) },
    ),
  );
};
