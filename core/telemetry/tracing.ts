import {
  type Attributes,
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
} from "@opentelemetry/sdk-trace-node";
import { otlpHeaders } from "../edge/traceparent";
import { setTraceparentSource } from "./active-trace";

let provider: NodeTracerProvider | undefined;
let exporting = false;

/**
 * Once per process: W3C trace context in and out, and spans kept in AsyncLocalStorage. Spans are
 * recorded and exported (OTLP/HTTP, JSON) only when an endpoint is configured; without one the
 * trace ids still flow (logs carry them) but nothing is recorded.
 */
export function startTracing(service: string, opts: { endpoint?: string; headers?: string }) {
  if (provider) return tracingHandle();
  const exporter = opts.endpoint
    ? new OTLPTraceExporter({
        url: `${opts.endpoint.replace(/\/$/, "")}/v1/traces`,
        headers: otlpHeaders(opts.headers),
        timeoutMillis: 10_000,
      })
    : undefined;
  exporting = Boolean(exporter);
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": service }),
    sampler: exporter ? new ParentBasedSampler({ root: new AlwaysOnSampler() }) : new AlwaysOffSampler(),
    spanProcessors: exporter ? [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 })] : [],
  });
  provider.register();
  setTraceparentSource(() => traceparentOf());
  return tracingHandle();
}
const tracingHandle = () => ({
  flush: () => provider?.forceFlush() ?? Promise.resolve(),
  shutdown: () => provider?.shutdown() ?? Promise.resolve(),
});
export const tracingExported = () => exporting;

export const tracer = (component: string) => trace.getTracer(`bvrai.${component}`);

/** Runs `fn` in a span (child of the active one, or of `parent`); errors mark the span and go on. */
export function traced<T>(
  component: string,
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  opts: { kind?: SpanKind; parent?: Context } = {},
) {
  const ctx = opts.parent ?? context.active();
  return tracer(component).startActiveSpan(
    name,
    { attributes, kind: opts.kind ?? SpanKind.INTERNAL },
    ctx,
    async (span) => {
      try {
        return await fn(span);
      } catch (err) {
        failSpan(span, err);
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

export function failSpan(span: Span, err: unknown) {
  span.recordException(err instanceof Error ? err : new Error(String(err)));
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

/** The context a `traceparent` from another hop (edge header, stream parameter, job data) names. */
export const contextFrom = (traceparent?: string | null) =>
  traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;

/** The `traceparent` to hand to the next hop from `ctx` (default: the active span). */
export function traceparentOf(ctx: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
}

export type { Span };
export { context, SpanKind, trace };
