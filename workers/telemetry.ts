import type { Context } from "hono";
import { otlpHeaders, parseTraceparent } from "../core/edge/traceparent";
import { boundedFetch } from "../core/net/bounded-fetch";
import { redact, scrubText } from "../core/telemetry/redact";
import type { AppEnv } from "./services";

const routeOf = (path: string) =>
  path.startsWith("/twilio/")
    ? path
    : path.startsWith("/stripe/")
      ? "/stripe/webhook"
      : path.startsWith("/widget")
        ? "/widget"
        : path.startsWith("/api/")
          ? "/api"
          : "/portal";
const attr = (key: string, value: string | number) => ({
  key,
  value: typeof value === "number" ? { intValue: String(value) } : { stringValue: value },
});

/**
 * The edge's span for one request, sent as OTLP/HTTP JSON after the response (waitUntil) when a
 * collector is configured. Its ids are the `traceparent` the edge hands on, so the origin's,
 * relay's and jobs' spans hang under it. No OpenTelemetry SDK: workerd has no async hooks to keep
 * context in, and one span per request needs none.
 */
export function exportEdgeSpan(c: Context<AppEnv>, startedMs: number) {
  const { config } = c.get("services") ?? {};
  const endpoint = config?.OTEL_EXPORTER_OTLP_ENDPOINT;
  const ours = parseTraceparent(c.get("traceparent"));
  if (!endpoint || !ours) return;
  const incoming = parseTraceparent(c.req.header("traceparent"));
  const nanos = (ms: number) => `${BigInt(Math.round(ms * 1000)) * 1000n}`;
  const status = c.res.status;
  const span = {
    traceId: ours.traceId,
    spanId: ours.spanId,
    ...(incoming?.traceId === ours.traceId && { parentSpanId: incoming.spanId }),
    name: `${c.req.method} ${routeOf(c.req.path)}`,
    kind: 2,
    startTimeUnixNano: nanos(startedMs),
    endTimeUnixNano: nanos(Date.now()),
    attributes: [
      attr("http.request.method", c.req.method),
      attr("url.path", scrubText(c.req.path)),
      attr("http.response.status_code", status),
      attr("bvrai.request_id", c.get("requestId")),
    ],
    status: { code: status >= 500 ? 2 : 0 },
  };
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [attr("service.name", "bvrai-edge")] },
        scopeSpans: [{ scope: { name: "bvrai.edge" }, spans: [span] }],
      },
    ],
  };
  const headers = { ...otlpHeaders(config.OTEL_EXPORTER_OTLP_HEADERS), "content-type": "application/json" };
  const sent = boundedFetch(
    `${endpoint.replace(/\/$/, "")}/v1/traces`,
    { method: "POST", headers, body: JSON.stringify(body) },
    { deadlineMs: 5000, maxBytes: 4096 },
  )
    .then(() => undefined)
    .catch((err) => log("warn", "trace export failed", { err: String(err) }));
  try {
    c.executionCtx.waitUntil(sent);
  } catch {
    // No execution context (a unit test calling app.fetch): the export runs on its own.
  }
}

/** The edge's JSON log line (Workers Logs / Logpush keep the console), redacted as the Node processes' are. */
export function log(level: "info" | "warn" | "error", msg: string, fields: Record<string, unknown> = {}) {
  const line = JSON.stringify({
    level,
    service: "edge",
    msg: scrubText(msg),
    time: new Date().toISOString(),
    ...(redact(fields) as object),
  });
  if (level === "error") console.error(line);
  else console.log(line);
}

/** The `log({ level, msg, ...fields })` shape the routes use. */
export const logFields = ({ level = "info", msg = "", ...fields }: Record<string, unknown>) =>
  log(level as "info", String(msg), fields);
