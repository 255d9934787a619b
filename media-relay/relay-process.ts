import type { RelayConfig } from "../core/config/schemas";
import { createPiiCipher } from "../core/crypto/pii";
import { embedderSource } from "../core/knowledge/embedder-source";
import { openAiKeySource } from "../core/openai-key";
import { startTelemetry } from "../core/telemetry";
import { answerPrimaryScrapes } from "../core/telemetry/cluster-metrics";
import { startOpsServer } from "../core/telemetry/health";
import { installProcessPolicy } from "../core/telemetry/process-policy";
import { flushSentry } from "../core/telemetry/sentry";
import { createNodeDb } from "../db/node-client";
import { twilioAccountBySid } from "../db/queries/phone-numbers";
import { tenantProviderKeys } from "../db/queries/provider-credentials";
import { providerSource, realtimeSource } from "../voice/providers";
import { startCallControl } from "./call-control";
import { callSlots, callSlotsRedis } from "./call-slots";
import { primarySlots, reportCalls } from "./cluster-ipc";
import { createRelayServer } from "./server";
import { noTransfer, twilioTransfer } from "./twilio-rest";

/**
 * The relay: a single process, or one worker of several (`worker`: its number) that share the
 * port, each with its own database pool, heartbeat and call control (docs/decisions/0037).
 */
export async function runRelay(config: RelayConfig, worker?: number) {
  const { log, logger, tracing } = startTelemetry("relay", config);
  installProcessPolicy(logger);
  if (worker) answerPrimaryScrapes(worker);
  const db = createNodeDb(config.DATABASE_URL, { localRole: config.DATABASE_LOCAL_ROLE });
  const pii = createPiiCipher({ keys: config.PII_ENCRYPTION_KEYS, blindIndexKey: config.PII_BLIND_INDEX_KEY });
  const upstash = config.UPSTASH_REDIS_REST_URL && config.UPSTASH_REDIS_REST_TOKEN;
  const relay = createRelayServer({
    db,
    pii,
    tokenSecret: config.STREAM_TOKEN_SECRET,
    twilioAuthToken: config.TWILIO_AUTH_TOKEN,
    publicUrl: config.RELAY_PUBLIC_URL,
    greetingCacheBytes: config.RELAY_GREETING_CACHE_MB * 1024 * 1024,
    providersFor: providerSource(config, (tenantId) => tenantProviderKeys(db, pii, tenantId)).forTenant,
    realtimeFor: realtimeSource(config, (tenantId) => tenantProviderKeys(db, pii, tenantId)),
    embedderFor: embedderSource(
      config,
      openAiKeySource(
        config.LLM_PROVIDER === "openai" ? config.OPENAI_API_KEY : undefined,
        async (tenantId) => (await tenantProviderKeys(db, pii, tenantId)).openai,
      ),
    ),
    // Upstash is shared by every relay already; without it the primary counts for all workers.
    slots:
      !upstash && worker
        ? primarySlots()
        : callSlots(upstash ? callSlotsRedis(config.UPSTASH_REDIS_REST_URL!, config.UPSTASH_REDIS_REST_TOKEN!) : null, {
            limit: config.RELAY_MAX_CALLS_PER_TENANT,
            log,
          }),
    twilioAccount: (accountSid) => twilioAccountBySid(db, pii, accountSid),
    heartbeatMs: config.RELAY_HEARTBEAT_SECONDS * 1000,
    transfer: config.TWILIO_ACCOUNT_SID
      ? twilioTransfer({
          accountSid: config.TWILIO_ACCOUNT_SID,
          authToken: config.TWILIO_AUTH_TOKEN,
          apiUrl: config.TWILIO_API_URL,
          edgeUrl: config.EDGE_PUBLIC_URL,
          account: (accountSid) => twilioAccountBySid(db, pii, accountSid),
        })
      : noTransfer,
    worker: worker ? { number: worker, callsChanged: reportCalls } : undefined,
  });
  const { server, drain } = relay;
  // Every worker hears every "end this call" signal and polls for its own calls: the one carrying it ends it.
  const control = startCallControl({ db, url: config.DATABASE_URL, relay, log });
  const providers = { stt: config.STT_PROVIDER, llm: config.LLM_PROVIDER, tts: config.TTS_PROVIDER };
  server.listen(config.RELAY_PORT, () => log({ msg: "listening", port: config.RELAY_PORT, providers, worker }));
  let stopping = false;
  // A worker's primary owns the operations port (its /metrics gathers every worker's).
  const ops =
    config.OPS_PORT && !worker
      ? await startOpsServer({
          port: config.OPS_PORT,
          service: "relay",
          checks: { database: () => db.$pool.query("select 1") },
          draining: () => stopping,
        })
      : undefined;

  async function shutdown() {
    if (stopping) return;
    stopping = true;
    log({ msg: "draining", deadlineSeconds: config.RELAY_DRAIN_SECONDS, worker });
    await drain(config.RELAY_DRAIN_SECONDS * 1000);
    await control.close();
    ops?.close();
    await Promise.all([tracing.flush(), flushSentry()]);
    await db.$pool.end();
    process.exit(0);
  }
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}
