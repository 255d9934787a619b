import { AsyncLocalStorage } from "node:async_hooks";
import { trace } from "@opentelemetry/api";
import pino, { type DestinationStream, type Logger } from "pino";
import { redact, scrubText } from "./redact";

/** The ids a log line is about: set once where they become known, carried by every line below. */
export type LogFields = {
  requestId?: string;
  tenantId?: string;
  callId?: string;
  jobId?: string;
  [k: string]: unknown;
};
const scope = new AsyncLocalStorage<LogFields>();

/** Runs `fn` with `fields` added to every log line written inside it (and in what it awaits). */
export const withLogFields = <T>(fields: LogFields, fn: () => T) => scope.run({ ...scope.getStore(), ...fields }, fn);
/** Adds ids learnt mid-request (the tenant, once the key or session names it) to the current scope. */
export function addLogFields(fields: LogFields) {
  const store = scope.getStore();
  if (store) Object.assign(store, fields);
}

/**
 * A Node process's JSON logger (pino): one line per event with the service, the scope's ids and
 * the active trace, every argument redacted (core/telemetry/redact) before it is written.
 */
export function createLogger(service: string, opts: { level?: string; destination?: DestinationStream } = {}): Logger {
  const logger = pino(
    {
      level: opts.level ?? process.env.LOG_LEVEL ?? "info",
      base: { service },
      messageKey: "msg",
      errorKey: "err",
      // `redact` already made errors plain (with their cause); pino's serializer would take that for an error again.
      serializers: { err: (err: unknown) => err },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (b) => redact(b) as Record<string, unknown>,
        log: (o) => redact(o) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === "string" ? scrubText(a) : a)) as Parameters<typeof method>);
        },
      },
      mixin() {
        const span = trace.getActiveSpan()?.spanContext();
        return { ...scope.getStore(), ...(span && { traceId: span.traceId, spanId: span.spanId }) };
      },
    },
    opts.destination,
  );
  // pino hands a child's bindings to no formatter: redact them here (children inherit this).
  const child = logger.child;
  logger.child = function (this: Logger, bindings, options) {
    return child.call(this, redact(bindings) as typeof bindings, options);
  } as typeof logger.child;
  return logger;
}

/** The structured-fields call shape the code base uses: `log({ level, msg, ...fields })`. */
export function fieldLogger(logger: Logger) {
  return (fields: Record<string, unknown>) => {
    const { level = "info", msg, ...rest } = fields as { level?: string; msg?: string };
    const write = (logger[level as "info"] ?? logger.info).bind(logger);
    write(rest, msg);
  };
}
