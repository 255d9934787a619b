import { randomHex } from "../bytes";

const format = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * W3C Trace Context: the `traceparent` to send onwards. A valid incoming one keeps its trace id
 * and flags with a new parent (span) id for this hop; anything else starts a new trace.
 */
export function nextTraceparent(incoming: string | null | undefined) {
  const m = format.exec(incoming?.trim().toLowerCase() ?? "");
  const valid = m && !/^0+$/.test(m[1]!) && !/^0+$/.test(m[2]!);
  return valid ? `00-${m[1]}-${randomHex(8)}-${m[3]}` : `00-${randomHex(16)}-${randomHex(8)}-01`;
}

/** A `traceparent`'s trace id and span (parent) id, or null if it is not one. */
export function parseTraceparent(value: string | null | undefined) {
  const m = format.exec(value?.trim().toLowerCase() ?? "");
  return m ? { traceId: m[1]!, spanId: m[2]! } : null;
}

export const traceIdOf = (traceparent: string) => parseTraceparent(traceparent)?.traceId ?? null;

/** `k=v,k2=v2` (OTEL_EXPORTER_OTLP_HEADERS), values URL-encoded as the OpenTelemetry spec has them. */
export const otlpHeaders = (raw?: string): Record<string, string> =>
  Object.fromEntries(
    (raw ?? "")
      .split(",")
      .filter((pair) => pair.indexOf("=") > 0)
      .map((pair) => [
        pair.slice(0, pair.indexOf("=")).trim(),
        decodeURIComponent(pair.slice(pair.indexOf("=") + 1).trim()),
      ]),
  );
