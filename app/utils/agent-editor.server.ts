import { diffSettings } from "../../core/settings-diff";
import { listAgentVersions } from "../../db/queries/agent-versions";
import { listMembers } from "../../db/queries/members";
import { TEST_CALL_SECONDS } from "../../db/queries/test-calls";
import type { Db } from "../../db/tenant";
import { env } from "./env.server";

/** Browser test calls need a relay to talk to and a secret to sign its tokens with. */
export const testCallsAvailable = () => Boolean(env().STREAM_TOKEN_SECRET && env().RELAY_PUBLIC_URL);
export const testCallSettings = () => ({ available: testCallsAvailable(), maxMinutes: TEST_CALL_SECONDS / 60 });

const labels: Record<string, string> = {
  name: "Name",
  systemPrompt: "Prompt",
  firstMessage: "First message",
  voice: "Voice",
  model: "Model",
  mode: "Conversation mode",
  language: "Language",
  temperature: "Temperature",
  interruptionSensitivity: "Interruption sensitivity",
  maxDurationSeconds: "Maximum call length",
  silenceTimeoutSeconds: "Silence before the agent checks in",
  endCallPhrases: "End-call phrases",
  tools: "Tools",
  recordCalls: "Recording",
  recordingDisclosure: "Recording disclosure",
  analysisPlan: "After the call",
  knowledgeBaseIds: "Knowledge bases",
  retrievalMode: "How the agent uses knowledge",
  turnTaking: "Turn-taking",
};

/**
 * What someone else saved since `baseVersion`, the version the editor was opened on: the settings
 * they changed (from the version history), the newest version, and who saved it.
 */
export async function conflictDetails(
  db: Db,
  { agentId, tenantId, baseVersion }: { agentId: string; tenantId: string; baseVersion: number },
) {
  const versions = await listAgentVersions(db, { agentId, tenantId });
  const latest = versions[0];
  const base = versions.find((v) => v.version === baseVersion);
  if (!latest) return null;
  const changed = base
    ? diffSettings(base.settings as Record<string, unknown>, latest.settings as Record<string, unknown>).map(
        (c) => labels[c.field] ?? c.field,
      )
    : [];
  const members = await listMembers(db, { tenantId });
  const by = latest.createdBy ? (members.find((m) => m.userId === latest.createdBy)?.name ?? null) : "the API";
  return { version: latest.version, base: base?.version ?? null, changed, by };
}
