import * as Sentry from "@sentry/node";
import { redact } from "./redact";

let enabled = false;

/**
 * Errors to Sentry when a DSN is set (else nothing leaves the process). Sentry's own tracing and
 * auto-instrumentation stay off: traces are OpenTelemetry's (core/telemetry/tracing). Events are
 * redacted like logs before they are sent.
 */
export function startSentry(service: string, opts: { dsn?: string; environment: string }) {
  if (!opts.dsn || enabled) return;
  enabled = true;
  Sentry.init({
    dsn: opts.dsn,
    environment: opts.environment,
    serverName: service,
    skipOpenTelemetrySetup: true,
    defaultIntegrations: false,
    // What an uncaught error does to the process is ours, with or without Sentry (core/telemetry/process-policy.ts).
    integrations: [],
    sendDefaultPii: false,
    beforeSend: (event) => redact(event) as typeof event,
  });
}

/** Reports an error with the ids it concerns (request, tenant, call, job); no-op without a DSN. */
export function reportError(err: unknown, tags: Record<string, string | undefined> = {}) {
  if (!enabled) return;
  Sentry.withScope((scope) => {
    for (const [k, v] of Object.entries(tags)) if (v) scope.setTag(k, v);
    Sentry.captureException(err);
  });
}

export const flushSentry = (ms = 2000) => (enabled ? Sentry.flush(ms) : Promise.resolve(true));
