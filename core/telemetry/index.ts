import type { DestinationStream, Logger } from "pino";
import { createLogger, fieldLogger } from "./logger";
import { startSentry } from "./sentry";
import { startTracing } from "./tracing";

export type TelemetryConfig = {
  NODE_ENV: string;
  LOG_LEVEL: string;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_HEADERS?: string;
  SENTRY_DSN?: string;
};

const loggers = new Map<string, Logger>();
/** The service's logger, shared by every module of the process. */
export function serviceLogger(service: string) {
  if (!loggers.has(service)) loggers.set(service, createLogger(service));
  return loggers.get(service)!;
}

/** A Node process's start: logs, traces (exported only if configured) and Sentry (only with a DSN). */
export function startTelemetry(
  service: "web" | "relay" | "jobs",
  config: TelemetryConfig,
  opts: { destination?: DestinationStream } = {},
) {
  const logger = createLogger(service, { level: config.LOG_LEVEL, destination: opts.destination });
  loggers.set(service, logger);
  const tracing = startTracing(`bvrai-${service}`, {
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    headers: config.OTEL_EXPORTER_OTLP_HEADERS,
  });
  startSentry(service, { dsn: config.SENTRY_DSN, environment: config.NODE_ENV });
  logger.info(
    { traces: config.OTEL_EXPORTER_OTLP_ENDPOINT ? "otlp" : "off", sentry: Boolean(config.SENTRY_DSN) },
    "telemetry started",
  );
  return { logger, log: fieldLogger(logger), tracing };
}

export { addLogFields, fieldLogger, withLogFields } from "./logger";
