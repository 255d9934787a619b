import { describe, expect, it } from "vitest";
import { generatePiiKey } from "../crypto/pii";
import { loadEdgeConfig, loadJobsConfig, loadRelayConfig, loadWebConfig } from ".";
import { loadConfig } from "./load";
import { relaySchema, secretNames } from "./schemas";

const strong = "k9QwZ3pL7xR2mN8vB4tY6cJ1hF5sD0gA";
const base = { DATABASE_URL: "postgres://bvrai_app@127.0.0.1:5432/bvrai" };

describe("configuration", () => {
  it("refuses to boot in production without a secret, naming it", () => {
    expect(() => loadRelayConfig({ ...base, NODE_ENV: "production" })).toThrow(/STREAM_TOKEN_SECRET is required/);
  });

  it("refuses a weak secret in production", () => {
    expect(() => loadRelayConfig({ ...base, NODE_ENV: "production", STREAM_TOKEN_SECRET: "short" })).toThrow(
      /STREAM_TOKEN_SECRET is shorter than 32/,
    );
    expect(() =>
      loadRelayConfig({ ...base, NODE_ENV: "production", STREAM_TOKEN_SECRET: "changeme-changeme-changeme-changeme" }),
    ).toThrow(/STREAM_TOKEN_SECRET (looks like a placeholder|has too few)/);
  });

  it("names every problem at once", () => {
    expect(() => loadWebConfig({ NODE_ENV: "production" })).toThrow(
      /SESSION_SECRET[\s\S]*PII_ENCRYPTION_KEYS[\s\S]*PII_BLIND_INDEX_KEY[\s\S]*DATABASE_URL/,
    );
  });

  it("generates throwaway secrets in development and says so", () => {
    const logs: string[] = [];
    const cfg = loadConfig("relay", relaySchema, secretNames.relay, { ...base }, (m) => logs.push(m));
    expect(cfg.STREAM_TOKEN_SECRET).toHaveLength(64);
    expect(logs).toEqual([expect.stringMatching(/generated throwaway STREAM_TOKEN_SECRET/)]);
    expect(loadEdgeConfig({ ...base, RELAY_PUBLIC_URL: "ws://127.0.0.1:8788" }).TWILIO_AUTH_TOKEN).toHaveLength(64);
  });

  it("accepts a complete production configuration", () => {
    const cfg = loadRelayConfig({
      ...base,
      NODE_ENV: "production",
      STREAM_TOKEN_SECRET: strong,
      TWILIO_AUTH_TOKEN: strong,
      PII_ENCRYPTION_KEYS: generatePiiKey("k1"),
      PII_BLIND_INDEX_KEY: strong,
      RELAY_PORT: "9000",
    });
    expect(cfg.RELAY_PORT).toBe(9000);
    expect(cfg.TTS_PROVIDER).toBe("sandbox");
  });

  it("refuses a real provider without its key, naming the key", () => {
    const relay = {
      ...base,
      STREAM_TOKEN_SECRET: strong,
      TWILIO_AUTH_TOKEN: strong,
      PII_ENCRYPTION_KEYS: generatePiiKey("k1"),
      PII_BLIND_INDEX_KEY: strong,
    };
    expect(() => loadRelayConfig({ ...relay, STT_PROVIDER: "deepgram", LLM_PROVIDER: "openai" })).toThrow(
      /DEEPGRAM_API_KEY[\s\S]*OPENAI_API_KEY/,
    );
    expect(loadRelayConfig({ ...relay, TTS_PROVIDER: "elevenlabs", ELEVENLABS_API_KEY: "xi" }).TTS_PROVIDER).toBe(
      "elevenlabs",
    );
  });

  it("makes the edge the front door in production: an origin, its signing secret, limits on", () => {
    const edge = { ...base, RELAY_PUBLIC_URL: "wss://relay.test" };
    expect(() => loadEdgeConfig({ ...edge, ORIGIN_URL: "https://origin.test" })).toThrow(
      /EDGE_ORIGIN_SECRET: is required with ORIGIN_URL/,
    );
    expect(() =>
      loadEdgeConfig({
        ...edge,
        ENVIRONMENT: "production",
        RATE_LIMITS: "off",
        STREAM_TOKEN_SECRET: strong,
        TWILIO_AUTH_TOKEN: strong,
        STRIPE_WEBHOOK_SECRET: strong,
        PII_ENCRYPTION_KEYS: generatePiiKey("k1"),
        PII_BLIND_INDEX_KEY: strong,
      }),
    ).toThrow(/ORIGIN_URL: is required in production[\s\S]*RATE_LIMITS: must be on/);
    expect(
      loadEdgeConfig({ ...edge, ORIGIN_URL: "https://origin.test", EDGE_ORIGIN_SECRET: strong }).RATE_LIMIT_TIMEOUT_MS,
    ).toBe(150);
  });

  it("keeps recordings in a bucket in production, and wants its keys with it", () => {
    const jobs = {
      ...base,
      NODE_ENV: "production",
      PII_ENCRYPTION_KEYS: generatePiiKey("k1"),
      PII_BLIND_INDEX_KEY: strong,
    };
    expect(() => loadJobsConfig(jobs)).toThrow(/RECORDINGS_S3_BUCKET: is required in production/);
    expect(() => loadJobsConfig({ ...jobs, RECORDINGS_S3_BUCKET: "b" })).toThrow(
      /RECORDINGS_S3_ACCESS_KEY_ID: and RECORDINGS_S3_SECRET_ACCESS_KEY are required/,
    );
    expect(loadJobsConfig({ ...base }).RECORDINGS_DIR).toBe(".data/recordings");
  });

  it("refuses production jobs that would reach private addresses with webhooks or could not mail", () => {
    const jobs = {
      ...base,
      NODE_ENV: "production",
      PII_ENCRYPTION_KEYS: generatePiiKey("k1"),
      PII_BLIND_INDEX_KEY: strong,
      RECORDINGS_S3_BUCKET: "b",
      RECORDINGS_S3_ACCESS_KEY_ID: "a",
      RECORDINGS_S3_SECRET_ACCESS_KEY: "s",
    };
    expect(() => loadJobsConfig({ ...jobs, WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: "true" })).toThrow(
      /WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: must be off in production[\s\S]*MAIL_TRANSPORT[\s\S]*APP_URL/,
    );
    const ok = loadJobsConfig({
      ...jobs,
      MAIL_TRANSPORT: "smtp",
      SMTP_URL: "smtp://mail.test",
      APP_URL: "https://app.test",
    });
    expect(ok.WEBHOOK_ALLOW_PRIVATE_DESTINATIONS).toBe(false);
    expect(ok.WEBHOOK_RETRY_SCHEDULE_SECONDS.reduce((a, b) => a + b, 0) / 86_400).toBeCloseTo(3.15, 1);
    expect(() => loadJobsConfig({ ...base, WEBHOOK_RETRY_SCHEDULE_SECONDS: "5,soon" })).toThrow(
      /comma-separated list of seconds/,
    );
  });

  it("refuses a production portal that would not send real mail or has malformed PII keys", () => {
    const web = {
      ...base,
      NODE_ENV: "production",
      SESSION_SECRET: strong,
      PII_BLIND_INDEX_KEY: strong,
      EDGE_ORIGIN_SECRET: strong,
    };
    expect(() =>
      loadWebConfig({ ...web, EDGE_ORIGIN_SECRET: undefined, PII_ENCRYPTION_KEYS: generatePiiKey("k1") }),
    ).toThrow(/EDGE_ORIGIN_SECRET: is required in production/);
    expect(() => loadWebConfig({ ...web, PII_ENCRYPTION_KEYS: generatePiiKey("k1") })).toThrow(
      /APP_URL: is required[\s\S]*EDGE_PUBLIC_URL: is required[\s\S]*MAIL_TRANSPORT/,
    );
    expect(() =>
      loadWebConfig({
        ...web,
        PII_ENCRYPTION_KEYS: "k1:tooshort-but-long-enough-for-the-secret-check",
        APP_URL: "https://app.bvrai.test",
        EDGE_PUBLIC_URL: "https://edge.bvrai.test",
        MAIL_TRANSPORT: "smtp",
        SMTP_URL: "smtp://mail.test",
      }),
    ).toThrow(/PII_ENCRYPTION_KEYS: PII key "k1"/);
    const ok = loadWebConfig({
      ...web,
      PII_ENCRYPTION_KEYS: generatePiiKey("k1"),
      APP_URL: "https://app.bvrai.test",
      EDGE_PUBLIC_URL: "https://edge.bvrai.test",
      MAIL_TRANSPORT: "smtp",
      SMTP_URL: "smtps://u:p@mail.test:465",
      RECORDINGS_S3_BUCKET: "bvrai-recordings",
      RECORDINGS_S3_ACCESS_KEY_ID: "AKIDEXAMPLE",
      RECORDINGS_S3_SECRET_ACCESS_KEY: strong,
    });
    expect(ok.AUTH_ATTEMPTS_PER_ACCOUNT).toBe(10);
  });

  it("generates development PII keys in the format the cipher reads", () => {
    const cfg = loadWebConfig({ ...base });
    expect(cfg.PII_ENCRYPTION_KEYS).toMatch(/^dev:[A-Za-z0-9+/]{43}=$/);
  });
});
