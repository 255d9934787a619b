let source: () => string | undefined = () => undefined;

/**
 * The W3C `traceparent` of the work running now, where a tracer keeps one: startTracing (the Node
 * processes) sets where it comes from; at the edge there is none. db/ stamps jobs with it through
 * this, not through OpenTelemetry's API, which the edge then need not bundle (docs/decisions/0036).
 */
export const activeTraceparent = () => source();

export function setTraceparentSource(fn: () => string | undefined) {
  source = fn;
}
