import { PiiError, parsePiiKeys } from "../crypto/pii";
import * as z from "../zod";

const environment = z._default(z.enum(["development", "test", "production"]), "development");
/** The portal's port when PORT is unset; links default to it outside production (`appUrlOf`). */
export const WEB_PORT = 3000;
const port = (fallback: number) =>
  z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(65535)), fallback);
const optionalUrl = z.optional(z.url());

/** `id:base64,id:base64`, newest first (core/crypto/pii). */
const piiKeys = z.string().check(
  z.minLength(1),
  z.superRefine((value, ctx) => {
    try {
      parsePiiKeys(value);
    } catch (err) {
      if (!(err instanceof PiiError)) throw err;
      ctx.addIssue({ code: "custom", message: err.message });
    }
  }),
);
const pii = { PII_ENCRYPTION_KEYS: piiKeys, PII_BLIND_INDEX_KEY: z.string().check(z.minLength(1)) };
const upstash = { UPSTASH_REDIS_REST_URL: optionalUrl, UPSTASH_REDIS_REST_TOKEN: z.optional(z.string()) };

/**
 * The platform's main Twilio account, which owns the tenants' subaccounts. Unset: telephony is
 * SANDBOX (no numbers can be bought). TWILIO_API_URL points tests at the Twilio fake.
 */
const twilioMain = {
  TWILIO_ACCOUNT_SID: z.optional(z.string().check(z.regex(/^AC[0-9a-f]{32}$/i))),
  TWILIO_AUTH_TOKEN: z.optional(z.string().check(z.minLength(1))),
  TWILIO_API_URL: optionalUrl,
};

/**
 * Where call recordings are kept (encrypted): an S3-compatible bucket (R2, S3) when a bucket is
 * set, else a local folder (development). Production refuses the folder: web and jobs run apart.
 */
const recordingStore = {
  RECORDINGS_S3_BUCKET: z.optional(z.string().check(z.minLength(1))),
  /** R2: https://<account id>.r2.cloudflarestorage.com; unset for AWS S3. */
  RECORDINGS_S3_ENDPOINT: optionalUrl,
  RECORDINGS_S3_REGION: z._default(z.string().check(z.minLength(1)), "auto"),
  RECORDINGS_S3_ACCESS_KEY_ID: z.optional(z.string().check(z.minLength(1))),
  RECORDINGS_S3_SECRET_ACCESS_KEY: z.optional(z.string().check(z.minLength(1))),
  RECORDINGS_DIR: z._default(z.string(), ".data/recordings"),
};
function checkRecordingStore(
  v: {
    NODE_ENV: string;
    RECORDINGS_S3_BUCKET?: string;
    RECORDINGS_S3_ACCESS_KEY_ID?: string;
    RECORDINGS_S3_SECRET_ACCESS_KEY?: string;
  },
  ctx: z.core.$RefinementCtx,
) {
  if (v.NODE_ENV === "production" && !v.RECORDINGS_S3_BUCKET)
    ctx.addIssue({
      code: "custom",
      path: ["RECORDINGS_S3_BUCKET"],
      message: "is required in production (recordings go to S3 or R2)",
    });
  if (v.RECORDINGS_S3_BUCKET && (!v.RECORDINGS_S3_ACCESS_KEY_ID || !v.RECORDINGS_S3_SECRET_ACCESS_KEY))
    ctx.addIssue({
      code: "custom",
      path: ["RECORDINGS_S3_ACCESS_KEY_ID"],
      message: "and RECORDINGS_S3_SECRET_ACCESS_KEY are required with a bucket",
    });
}

/**
 * Stripe: the secret key (unset = billing SANDBOX: everyone stays on the trial, nothing is
 * charged), the prices that make up each plan (core/billing/plans), and the call-seconds meter.
 * STRIPE_API_URL points tests at the Stripe fake.
 */
const stripe = {
  STRIPE_SECRET_KEY: z.optional(z.string().check(z.minLength(1))),
  STRIPE_API_URL: optionalUrl,
  STRIPE_PRICE_PAYG_USAGE: z._default(z.string().check(z.minLength(1)), "price_payg_usage"),
  STRIPE_PRICE_PRO_FEE: z._default(z.string().check(z.minLength(1)), "price_pro_fee"),
  STRIPE_PRICE_PRO_USAGE: z._default(z.string().check(z.minLength(1)), "price_pro_usage"),
  STRIPE_METER_ID: z._default(z.string().check(z.minLength(1)), "mtr_call_seconds"),
  STRIPE_METER_EVENT_NAME: z._default(z.string().check(z.minLength(1)), "bvrai_call_seconds"),
};
const stripeSchema = z.object(stripe);
export type StripeConfig = z.infer<typeof stripeSchema>;

/** One mailer for the portal and the jobs (app/utils/mail-transports.server). */
const mail = {
  /** `outbox` writes mail to MAIL_OUTBOX_DIR (shown at /dev/mailbox); `smtp` sends through SMTP_URL. */
  MAIL_TRANSPORT: z._default(z.enum(["outbox", "smtp"]), "outbox"),
  MAIL_OUTBOX_DIR: z._default(z.string(), ".data/mailbox"),
  SMTP_URL: optionalUrl,
  MAIL_FROM: z._default(z.string(), "BVRAI <no-reply@bvrai.local>"),
};
function checkMail(v: { NODE_ENV: string; MAIL_TRANSPORT: string; SMTP_URL?: string }, ctx: z.core.$RefinementCtx) {
  if (v.NODE_ENV === "production" && (v.MAIL_TRANSPORT !== "smtp" || !v.SMTP_URL))
    ctx.addIssue({
      code: "custom",
      path: ["MAIL_TRANSPORT"],
      message: "production sends real mail: set MAIL_TRANSPORT=smtp and SMTP_URL",
    });
}

const flag = z.pipe(
  z.prefault(z.enum(["true", "false", "1", "0"]), "false"),
  z.transform((v) => v === "true" || v === "1"),
);
/**
 * Tenant webhooks: destinations on private, loopback or link-local addresses are refused unless
 * this is set (development and tests, whose receivers listen on 127.0.0.1); production refuses it.
 */
const webhooks = { WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: flag };
function checkWebhooks(
  v: { NODE_ENV: string; WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: boolean },
  ctx: z.core.$RefinementCtx,
) {
  if (v.NODE_ENV === "production" && v.WEBHOOK_ALLOW_PRIVATE_DESTINATIONS)
    ctx.addIssue({
      code: "custom",
      path: ["WEBHOOK_ALLOW_PRIVATE_DESTINATIONS"],
      message: "must be off in production",
    });
}
/** Seconds before each retry of a failed delivery: 9 retries over about three days (docs/decisions/0016). */
const DEFAULT_RETRY_SCHEDULE = "5,300,1800,7200,18000,36000,50400,72000,86400";

/**
 * Signs every request the edge forwards to the origin; the origin refuses requests without a fresh
 * signature, so no one can go around the edge's limits. Production requires it on both sides.
 */
const edgeOrigin = { EDGE_ORIGIN_SECRET: z.optional(z.string().check(z.minLength(32, "is at least 32 characters"))) };

/** The application role, for the embedded PGlite only (its single user is a superuser). */
const localRole = z.optional(z.string().check(z.regex(/^[a-z_][a-z0-9_]*$/)));

export const secretNames = {
  web: ["SESSION_SECRET", "PII_ENCRYPTION_KEYS", "PII_BLIND_INDEX_KEY"],
  edge: [
    "STREAM_TOKEN_SECRET",
    "TWILIO_AUTH_TOKEN",
    "STRIPE_WEBHOOK_SECRET",
    "PII_ENCRYPTION_KEYS",
    "PII_BLIND_INDEX_KEY",
  ],
  relay: ["STREAM_TOKEN_SECRET", "TWILIO_AUTH_TOKEN", "PII_ENCRYPTION_KEYS", "PII_BLIND_INDEX_KEY"],
  jobs: ["PII_ENCRYPTION_KEYS", "PII_BLIND_INDEX_KEY"],
} as const;

/**
 * Observability (docs/decisions/0021): JSON logs at LOG_LEVEL; traces exported over OTLP/HTTP only
 * when an endpoint is set; errors to Sentry only with a DSN; health, readiness and Prometheus
 * metrics on OPS_PORT (0: not served).
 */
const telemetry = (opsPort: number) => ({
  LOG_LEVEL: z._default(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]), "info"),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  OTEL_EXPORTER_OTLP_HEADERS: z.optional(z.string()),
  SENTRY_DSN: optionalUrl,
  OPS_PORT: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(65535)), opsPort),
});

/** What every Node process (portal, relay, jobs) is configured with. */
const nodeBase = { NODE_ENV: environment, DATABASE_URL: z.url(), DATABASE_LOCAL_ROLE: localRole };

export const webSchema = z
  .object({
    ...nodeBase,
    ...telemetry(9101),
    PORT: port(WEB_PORT),
    /** The portal's public origin, for links in emails; defaults to http://127.0.0.1:PORT outside production. */
    APP_URL: optionalUrl,
    /** The edge's public origin, for the widget snippet; defaults to http://127.0.0.1:8787 outside production. */
    EDGE_PUBLIC_URL: optionalUrl,
    SESSION_SECRET: z.string().check(z.minLength(1)),
    ...pii,
    ...upstash,
    ...twilioMain,
    /**
     * Attempts at sign-in, sign-up, reset and code entry allowed per 15 minutes: per account from one
     * network (IPv4 address or IPv6 /64), and per network; past ALL_NETWORKS sign-in attempts on one
     * account from everywhere, a right password also needs an emailed link (docs/decisions/0025).
     */
    AUTH_ATTEMPTS_PER_ACCOUNT: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 10),
    AUTH_ATTEMPTS_PER_IP: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 100),
    AUTH_ATTEMPTS_PER_ACCOUNT_ALL_NETWORKS: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 50),
    /** Header carrying the client IP set by the proxy in front (Fly: fly-client-ip); unset = socket address. */
    TRUSTED_IP_HEADER: z.optional(z.string().check(z.toLowerCase())),
    ...mail,
    ...recordingStore,
    ...stripe,
    ...webhooks,
    ...edgeOrigin,
    /**
     * Until this instant the origin also takes the edge's older signature (`v1`, no body digest), so
     * the edge of the previous release keeps working while the two deploy (docs/decisions/0023).
     * Unset (the default): only `v2`.
     */
    EDGE_SIGNATURE_V1_UNTIL: z.optional(z.coerce.date()),
    /** Browser test calls from the portal: it signs their relay tokens. Unset, the portal offers none. */
    STREAM_TOKEN_SECRET: z.optional(z.string().check(z.minLength(1))),
    RELAY_PUBLIC_URL: optionalUrl,
    /** The agent form's voice picker lists and previews ElevenLabs voices when it is the platform's TTS. */
    TTS_PROVIDER: z._default(z.enum(["sandbox", "elevenlabs"]), "sandbox"),
    ELEVENLABS_API_KEY: z.optional(z.string()),
    ELEVENLABS_URL: optionalUrl,
  })
  .check(
    z.superRefine((v, ctx) => {
      checkRecordingStore(v, ctx);
      checkWebhooks(v, ctx);
      if (v.NODE_ENV !== "production") return;
      if (!v.EDGE_ORIGIN_SECRET)
        ctx.addIssue({
          code: "custom",
          path: ["EDGE_ORIGIN_SECRET"],
          message: "is required in production (only the edge may reach the origin)",
        });
      if (!v.APP_URL) ctx.addIssue({ code: "custom", path: ["APP_URL"], message: "is required in production" });
      if (!v.EDGE_PUBLIC_URL)
        ctx.addIssue({ code: "custom", path: ["EDGE_PUBLIC_URL"], message: "is required in production" });
      checkMail(v, ctx);
    }),
  );

export const relaySchema = z
  .object({
    ...nodeBase,
    ...telemetry(9102),
    RELAY_PORT: port(8788),
    STREAM_TOKEN_SECRET: z.string().check(z.minLength(1)),
    /** Tenants' own provider keys are stored encrypted; the relay decrypts them per call. */
    ...pii,
    TWILIO_AUTH_TOKEN: z.string().check(z.minLength(1)),
    /** Needed for transfers (Twilio REST); without it transfers are refused. */
    TWILIO_ACCOUNT_SID: z.optional(z.string().check(z.regex(/^AC[0-9a-f]{32}$/i))),
    /** Tests only: a local server speaking Twilio's REST API. */
    TWILIO_API_URL: optionalUrl,
    /** The wss:// origin Twilio connects to, as in the TwiML; signatures are checked against it. */
    RELAY_PUBLIC_URL: optionalUrl,
    /** Where Twilio reports a transfer's outcome (the edge); unset, transfers still work but are not followed. */
    EDGE_PUBLIC_URL: optionalUrl,
    ...upstash,
    /** The platform's cap on one tenant's live calls across all relays; each plan sets its own below it. */
    RELAY_MAX_CALLS_PER_TENANT: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 100),
    /** On SIGTERM: how long live calls may go on before they are closed. */
    RELAY_DRAIN_SECONDS: z._default(z.coerce.number().check(z.int(), z.minimum(0)), 300),
    /**
     * Relay processes sharing RELAY_PORT (node:cluster, docs/decisions/0037); unset: one per core
     * available (resolved in media-relay/main.ts: config stays runtime-neutral). 1: a single process.
     */
    RELAY_WORKERS: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(64))),
    /** How often the relay marks its calls alive; the lost-call sweep closes calls silent for five of these. */
    /** Rendered greetings kept in each relay process's memory (docs/decisions/0044); 0: none kept. */
    RELAY_GREETING_CACHE_MB: z._default(z.coerce.number().check(z.minimum(0), z.maximum(1024)), 16),
    RELAY_HEARTBEAT_SECONDS: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(15)), 15),
    /** Each provider defaults to `sandbox` (local, labelled as such); a real one needs its key. */
    STT_PROVIDER: z._default(z.enum(["sandbox", "deepgram"]), "sandbox"),
    DEEPGRAM_API_KEY: z.optional(z.string()),
    DEEPGRAM_URL: optionalUrl,
    LLM_PROVIDER: z._default(z.enum(["sandbox", "openai"]), "sandbox"),
    OPENAI_API_KEY: z.optional(z.string()),
    OPENAI_BASE_URL: optionalUrl,
    /** Tests only: a local server speaking the Realtime WebSocket protocol. */
    OPENAI_REALTIME_URL: optionalUrl,
    TTS_PROVIDER: z._default(z.enum(["sandbox", "elevenlabs"]), "sandbox"),
    ELEVENLABS_API_KEY: z.optional(z.string()),
    ELEVENLABS_URL: optionalUrl,
  })
  .check(
    z.superRefine((v, ctx) => {
      const need = (on: boolean, key: string) =>
        on &&
        !v[key as keyof typeof v] &&
        ctx.addIssue({ code: "custom", path: [key], message: "is required by the chosen provider" });
      need(v.STT_PROVIDER === "deepgram", "DEEPGRAM_API_KEY");
      need(v.LLM_PROVIDER === "openai", "OPENAI_API_KEY");
      need(v.TTS_PROVIDER === "elevenlabs", "ELEVENLABS_API_KEY");
    }),
  );

export const jobsSchema = z
  .object({
    ...nodeBase,
    ...telemetry(9103),
    /** How often pg-boss expires jobs whose worker died, so they are retried. */
    JOBS_MAINTENANCE_INTERVAL_SECONDS: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 30),
    /** Tenants' Twilio credentials are stored encrypted; the number check decrypts them. */
    ...pii,
    ...twilioMain,
    /** Where numbers' webhooks must point; the number check repairs any pointing elsewhere. */
    EDGE_PUBLIC_URL: optionalUrl,
    /** How often every number's Twilio configuration is checked (0: never, for tests). */
    NUMBER_CHECK_INTERVAL_MINUTES: z._default(z.coerce.number().check(z.int(), z.minimum(0)), 60),
    /** How often calls whose relay went silent are closed as relay_lost (0: never, for tests). */
    LOST_CALL_SWEEP_SECONDS: z._default(z.coerce.number().check(z.int(), z.minimum(0)), 30),
    /** How often the campaign dialler looks for rows to dial (0: never, for tests). */
    CAMPAIGN_TICK_SECONDS: z._default(z.coerce.number().check(z.int(), z.minimum(0)), 5),
    ...recordingStore,
    ...stripe,
    /** How often our usage is compared with Stripe's meter totals (0: never, for tests). */
    USAGE_RECONCILE_HOURS: z._default(z.coerce.number().check(z.int(), z.minimum(0)), 24),
    /** How often recordings past their tenant's retention are deleted (0: never, for tests). */
    RECORDING_SWEEP_MINUTES: z._default(z.coerce.number().check(z.int(), z.minimum(0)), 60),
    /** How often stored API answers older than 24 h (Idempotency-Key) are removed (0: never, for tests). */
    IDEMPOTENCY_SWEEP_MINUTES: z._default(z.coerce.number().check(z.int(), z.minimum(0)), 60),
    /** What reading one uploaded document may take: seconds, and the reader process's memory (docs/decisions/0026). */
    KB_READ_SECONDS: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(600)), 60),
    KB_READ_MEMORY_MB: z._default(z.coerce.number().check(z.int(), z.minimum(256), z.maximum(8192)), 512),
    ...mail,
    /** Post-call analysis: with no key (and no tenant key) it is SANDBOX, labelled as such. */
    OPENAI_API_KEY: z.optional(z.string()),
    OPENAI_BASE_URL: optionalUrl,
    ANALYSIS_MODEL: z._default(z.string().check(z.minLength(1)), "gpt-4o-mini"),
    /** The portal's public origin, for links in emails (a webhook endpoint turned off). */
    APP_URL: optionalUrl,
    ...webhooks,
    WEBHOOK_RETRY_SCHEDULE_SECONDS: z.pipe(
      z.prefault(
        z.string().check(z.regex(/^\d+(,\d+)*$/, "is a comma-separated list of seconds")),
        DEFAULT_RETRY_SCHEDULE,
      ),
      z.transform((v) => v.split(",").map(Number)),
    ),
  })
  .check(
    z.superRefine((v, ctx) => {
      checkRecordingStore(v, ctx);
      checkWebhooks(v, ctx);
      checkMail(v, ctx);
      if (v.NODE_ENV === "production" && !v.APP_URL)
        ctx.addIssue({ code: "custom", path: ["APP_URL"], message: "is required in production (links in emails)" });
    }),
  );

export const edgeSchema = z
  .object({
    ENVIRONMENT: environment,
    DATABASE_URL: z.url(),
    DATABASE_LOCAL_ROLE: localRole,
    /** host:port of a local WebSocket→Postgres proxy; unset in production, where Neon serves it. */
    NEON_WS_PROXY: z.optional(z.string()),
    STREAM_TOKEN_SECRET: z.string().check(z.minLength(1)),
    STREAM_TOKEN_TTL_SECONDS: z._default(z.coerce.number().check(z.int(), z.minimum(5), z.maximum(600)), 60),
    TWILIO_AUTH_TOKEN: z.string().check(z.minLength(1)),
    STRIPE_WEBHOOK_SECRET: z.string().check(z.minLength(1)),
    ...stripe,
    RELAY_PUBLIC_URL: z.url(),
    ...pii,
    ...upstash,
    /** Twilio webhooks per sending address a minute: every tenant's traffic comes from Twilio's few addresses, so it is generous. */
    RATE_LIMIT_TWILIO_PER_MINUTE: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 3000),
    /** Widget session requests per publishable key, and per visitor IP, each minute. */
    RATE_LIMIT_WIDGET_PER_KEY_PER_MINUTE: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 60),
    RATE_LIMIT_WIDGET_PER_IP_PER_MINUTE: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 10),
    /** The portal and API origin the edge forwards to; every request reaches it through the edge (docs/decisions/0017). */
    ORIGIN_URL: optionalUrl,
    ...edgeOrigin,
    /** How long the edge waits for the origin's response headers before answering 504 itself. */
    ORIGIN_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.minimum(100), z.maximum(100_000)), 25_000),
    /** The edge's spans go to this OTLP/HTTP collector (JSON) when set. */
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
    OTEL_EXPORTER_OTLP_HEADERS: z.optional(z.string()),
    /** `off` only to measure the limiter's cost (npm run bench:edge); production refuses it. */
    RATE_LIMITS: z._default(z.enum(["on", "off"]), "on"),
    /** Portal pages per client IP a minute (fails open: pages are cheap, the origin throttles sign-in itself). */
    RATE_LIMIT_PORTAL_PER_IP_PER_MINUTE: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 600),
    /** Sign-in, sign-up, reset and code posts per client IP and per account a minute (fail closed). */
    RATE_LIMIT_AUTH_PER_IP_PER_MINUTE: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 30),
    RATE_LIMIT_AUTH_PER_ACCOUNT_PER_MINUTE: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 10),
    /** How long a limit decision may wait for Redis before the class's outage policy decides. */
    RATE_LIMIT_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.minimum(10), z.maximum(60_000)), 150),
  })
  .check(
    z.superRefine((v, ctx) => {
      if (v.ORIGIN_URL && !v.EDGE_ORIGIN_SECRET)
        ctx.addIssue({
          code: "custom",
          path: ["EDGE_ORIGIN_SECRET"],
          message: "is required with ORIGIN_URL (the origin refuses unsigned requests)",
        });
      if (v.ENVIRONMENT !== "production") return;
      if (!v.ORIGIN_URL)
        ctx.addIssue({
          code: "custom",
          path: ["ORIGIN_URL"],
          message: "is required in production (the edge is the front door)",
        });
      if (v.RATE_LIMITS === "off")
        ctx.addIssue({ code: "custom", path: ["RATE_LIMITS"], message: "must be on in production" });
    }),
  );

export type WebConfig = z.infer<typeof webSchema>;
export type RelayConfig = z.infer<typeof relaySchema>;
export type JobsConfig = z.infer<typeof jobsSchema>;
export type EdgeConfig = z.infer<typeof edgeSchema>;
