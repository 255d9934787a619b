import { stripeClient } from "../../core/billing/stripe";
import type { JobsConfig } from "../../core/config";
import { createPiiCipher } from "../../core/crypto/pii";
import { embedderSource } from "../../core/knowledge/embedder-source";
import { openAiKeySource } from "../../core/openai-key";
import { fieldLogger, serviceLogger } from "../../core/telemetry";
import { createNodeDb } from "../../db/node-client";
import { tenantProviderKeys } from "../../db/queries/provider-credentials";
import { openaiChat } from "../../voice/openai-chat";
import { sandboxProviders } from "../../voice/sandbox";
import { analystSource } from "../analysis/analyst.server";
import type { AnalysisDeps } from "../analysis/analyze.server";
import type { IngestDeps } from "../knowledge/ingest.server";
import { objectStoreFrom } from "../recordings/object-store.server";
import type { Recordings } from "../recordings/recordings.server";
import { telephonyFrom } from "../telephony/numbers.server";
import type { SuiteDeps } from "../testing/run-suite.server";
import { mailerFrom } from "../utils/mail-transports.server";
import type { WebhookDeps } from "../webhooks/deliver.server";

export const jobsLog = fieldLogger(serviceLogger("jobs"));

export type JobDeps = ReturnType<typeof buildJobDeps>;

/** What the jobs' handlers and schedules need, built once per jobs process. */
export function buildJobDeps(config: JobsConfig) {
  const db = createNodeDb(config.DATABASE_URL, { max: 4, localRole: config.DATABASE_LOCAL_ROLE });
  const pii = createPiiCipher({ keys: config.PII_ENCRYPTION_KEYS, blindIndexKey: config.PII_BLIND_INDEX_KEY });
  const telephony = telephonyFrom(config, db, pii);
  const hooks: WebhookDeps = {
    db,
    pii,
    mailer: mailerFrom(config),
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_DESTINATIONS,
    retrySchedule: config.WEBHOOK_RETRY_SCHEDULE_SECONDS,
    appUrl: (path) => new URL(path, config.APP_URL ?? "http://127.0.0.1:3000").toString(),
  };
  const billing = { db, stripe: stripeClient(config), config, appUrl: "" };
  const recordings: Recordings = { ...telephony, store: objectStoreFrom(config) };
  const openAiKeyFor = openAiKeySource(
    config.OPENAI_API_KEY,
    async (tenantId) => (await tenantProviderKeys(db, pii, tenantId)).openai,
  );
  const analysis: AnalysisDeps = { db, pii, analystFor: analystSource(config, openAiKeyFor) };
  const ingest: IngestDeps = {
    db,
    pii,
    embedderFor: embedderSource(config, openAiKeyFor),
    readBudget: { seconds: config.KB_READ_SECONDS, memoryMb: config.KB_READ_MEMORY_MB },
  };
  const suites: SuiteDeps = {
    db,
    embedderFor: ingest.embedderFor,
    llmFor: async (tenantId) => {
      const apiKey = await openAiKeyFor(tenantId);
      return apiKey
        ? { llm: openaiChat({ apiKey, baseURL: config.OPENAI_BASE_URL }), sandbox: false }
        : { llm: sandboxProviders.llm, sandbox: true };
    },
  };
  return { config, db, pii, telephony, hooks, billing, recordings, analysis, ingest, suites, log: jobsLog };
}
