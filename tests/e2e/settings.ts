import { generatePiiKey } from "../../core/crypto/pii";
import { e2eFakes } from "../fakes/serve-e2e";
import { urlFor } from "../support/databases";

const offset = e2eFakes.portOffset;
const database = offset ? `bvrai_e2e_${offset}` : "bvrai_e2e";

// Generated once per run, then pinned in the environment: this module is loaded again in each
// worker, and the server and the fixtures must agree (fixtures sign session cookies, read mail).
process.env.E2E_TWILIO_AUTH_TOKEN ??= `e2e-${crypto.randomUUID()}`;
process.env.E2E_SESSION_SECRET ??= `e2e-session-${crypto.randomUUID()}`;
process.env.E2E_PII_KEYS ??= generatePiiKey("e2e");
process.env.E2E_STRIPE_SECRET_KEY ??= `sk_test_e2e${crypto.randomUUID().replace(/-/g, "")}`;
process.env.E2E_STRIPE_WEBHOOK_SECRET ??= `whsec_e2e${crypto.randomUUID().replace(/-/g, "")}`;

/** The e2e platform: `npm run dev` pointed at a real Postgres database of its own, on spare ports. */
export const e2e = {
  database,
  ownerUrl: urlFor(database),
  appUrl: urlFor(database, "bvrai_app"),
  webUrl: `http://127.0.0.1:${3100 + offset}`,
  edgeUrl: `http://127.0.0.1:${e2eFakes.edgePort}`,
  voiceControl: `http://127.0.0.1:${e2eFakes.controlPort}`,
  twilioAuthToken: process.env.E2E_TWILIO_AUTH_TOKEN,
  sessionSecret: process.env.E2E_SESSION_SECRET,
  mailbox: ".data/e2e-mailbox",
  serverEnv: {
    DATABASE_URL: urlFor(database, "bvrai_app"),
    DATABASE_MIGRATION_URL: urlFor(database),
    WEB_PORT: String(3100 + offset),
    EDGE_PORT: String(e2eFakes.edgePort),
    RELAY_PORT: String(e2eFakes.relayPort),
    RELAY_PUBLIC_URL: `ws://127.0.0.1:${e2eFakes.networkPort}`,
    NEON_PROXY_PORT: String(8799 + offset),
    // No e2e test reads the processes' ops endpoints; unserved, a second platform cannot collide on them.
    OPS_PORT: "0",
    E2E_TWILIO_AUTH_TOKEN: process.env.E2E_TWILIO_AUTH_TOKEN,
    E2E_SESSION_SECRET: process.env.E2E_SESSION_SECRET,
    E2E_PII_KEYS: process.env.E2E_PII_KEYS,
    TWILIO_AUTH_TOKEN: process.env.E2E_TWILIO_AUTH_TOKEN,
    TWILIO_ACCOUNT_SID: e2eFakes.twilioAccountSid,
    TWILIO_API_URL: `http://127.0.0.1:${e2eFakes.twilioPort}`,
    SESSION_SECRET: process.env.E2E_SESSION_SECRET,
    PII_ENCRYPTION_KEYS: process.env.E2E_PII_KEYS,
    PII_BLIND_INDEX_KEY: `e2e-index-${process.env.E2E_SESSION_SECRET}`,
    MAIL_OUTBOX_DIR: ".data/e2e-mailbox",
    STRIPE_SECRET_KEY: process.env.E2E_STRIPE_SECRET_KEY,
    STRIPE_WEBHOOK_SECRET: process.env.E2E_STRIPE_WEBHOOK_SECRET,
    STRIPE_API_URL: `http://127.0.0.1:${e2eFakes.stripePort}`,
    RECORDINGS_DIR: ".data/e2e-recordings",
    // No ops server: its fixed ports (9101-9103) are the fakes' at E2E_PORT_OFFSET=300, and any two platforms' alike.
    OPS_PORT: "0",
    // The receivers listen on 127.0.0.1; one retry an hour, so a test's resend is what delivers.
    WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: "true",
    WEBHOOK_RETRY_SCHEDULE_SECONDS: "3600",
    // Every e2e browser comes from 127.0.0.1; per-account limits are what the tests exercise.
    AUTH_ATTEMPTS_PER_IP: "100000",
    RATE_LIMIT_WIDGET_PER_IP_PER_MINUTE: "1000",
    // The voice providers are the scripted fakes (tests/fakes/serve-e2e.ts), spoken to over their real protocols.
    STT_PROVIDER: "deepgram",
    DEEPGRAM_API_KEY: e2eFakes.keys.deepgram,
    DEEPGRAM_URL: `ws://127.0.0.1:${e2eFakes.deepgramPort}/v1/listen`,
    LLM_PROVIDER: "openai",
    OPENAI_API_KEY: e2eFakes.keys.openai,
    OPENAI_BASE_URL: `http://127.0.0.1:${e2eFakes.openaiPort}/v1`,
    TTS_PROVIDER: "elevenlabs",
    ELEVENLABS_API_KEY: e2eFakes.keys.elevenlabs,
    ELEVENLABS_URL: `ws://127.0.0.1:${e2eFakes.elevenlabsPort}`,
  },
};
