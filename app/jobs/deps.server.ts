import type { JobsConfig } from "../../core/config";
import { embedderSource } from "../../core/knowledge/embedder-source";
import { openAiKeySource } from "../../core/openai-key";
import { fieldLogger, serviceLogger } from "../../core/telemetry";
import { tenantProviderKeys } from "../../db/queries/provider-credentials";
import { openaiChat } from "../../voice/openai-chat";
import { sandboxProviders } from "../../voice/sandbox";
import { analystSource } from "../analysis/analyst.server";
import type { AnalysisDeps } from "../analysis/analyze.server";
import type { IngestDeps } from "../knowledge/ingest.server";
import type { Recordings } from "../recordings/recordings.server";
import { buildServices } from "../services/build.server";
import type { SuiteDeps } from "../testing/run-suite.server";
import type { WebhookDeps } from "../webhooks/deliver.server";

export const jobsLog = fieldLogger(serviceLogger("jobs"));

export type JobDeps = ReturnType<typeof buildJobDeps>;

/** What the jobs' handlers and schedules need, built once per jobs process: the shared services (app/services) and the jobs' own. */
export function buildJobDeps(config: JobsConfig) {
  const shared = buildServices(config, { poolMax: 4 });
  const { db, pii, telephony, billing } = shared;
  const hooks: WebhookDeps = {
    db,
    pii,
    mailer: shared.mailer,
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_DESTINATIONS,
    retrySchedule: config.WEBHOOK_RETRY_SCHEDULE_SECONDS,
    appUrl: shared.appUrl,
  };
  const recordings: Recordings = { ...telephony, store: shared.recordings };
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
