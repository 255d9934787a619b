import { z } from "zod";

const environment = z.enum(["development", "test", "production"]).default("development");
const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const optionalUrl = z.url().optional();

/** The application role, for the embedded PGlite only (its single user is a superuser). */
const localRole = z.string().regex(/^[a-z_][a-z0-9_]*$/).optional();

export const secretNames = {
  web: ["SESSION_SECRET", "PII_ENCRYPTION_KEYS", "PII_BLIND_INDEX_KEY"],
  edge: ["STREAM_TOKEN_SECRET", "TWILIO_AUTH_TOKEN", "STRIPE_WEBHOOK_SECRET"],
  relay: ["STREAM_TOKEN_SECRET"],
  jobs: [],
} as const;

/** What every Node process (portal, relay, jobs) is configured with. */
const nodeBase = { NODE_ENV: environment, DATABASE_URL: z.url(), DATABASE_LOCAL_ROLE: localRole };

export const webSchema = z.object({
  ...nodeBase,
  PORT: port(3000),
  SESSION_SECRET: z.string().min(1),
  PII_ENCRYPTION_KEYS: z.string().min(1),
  PII_BLIND_INDEX_KEY: z.string().min(1),
});

export const relaySchema = z.object({
  ...nodeBase,
  RELAY_PORT: port(8788),
  STREAM_TOKEN_SECRET: z.string().min(1),
  /** Text-to-speech provider; `sandbox` synthesises tones locally and is labelled as such. */
  TTS_PROVIDER: z.enum(["sandbox"]).default("sandbox"),
});

export const jobsSchema = z.object({
  ...nodeBase,
  /** Price of one second of call time, in micro-units of USD (1000 = $0.06 a minute). */
  CALL_PRICE_MICROS_PER_SECOND: z.coerce.bigint().nonnegative().default(1000n),
  /** How often pg-boss expires jobs whose worker died, so they are retried. */
  JOBS_MAINTENANCE_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(30),
});

export const edgeSchema = z.object({
  ENVIRONMENT: environment,
  DATABASE_URL: z.url(),
  DATABASE_LOCAL_ROLE: localRole,
  /** host:port of a local WebSocket→Postgres proxy; unset in production, where Neon serves it. */
  NEON_WS_PROXY: z.string().optional(),
  STREAM_TOKEN_SECRET: z.string().min(1),
  STREAM_TOKEN_TTL_SECONDS: z.coerce.number().int().min(5).max(600).default(60),
  TWILIO_AUTH_TOKEN: z.string().min(1),
  STRIPE_WEBHOOK_SECRET: z.string().min(1),
  RELAY_PUBLIC_URL: z.url(),
  UPSTASH_REDIS_REST_URL: optionalUrl,
  UPSTASH_REDIS_REST_TOKEN: z.string().optional(),
  RATE_LIMIT_TWILIO_PER_MINUTE: z.coerce.number().int().min(1).default(120),
});

export type WebConfig = z.infer<typeof webSchema>;
export type RelayConfig = z.infer<typeof relaySchema>;
export type JobsConfig = z.infer<typeof jobsSchema>;
export type EdgeConfig = z.infer<typeof edgeSchema>;
