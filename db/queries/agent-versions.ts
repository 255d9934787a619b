import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { agents, agentVersions } from "../schema";
import type { Tx } from "../tenant";
import { type Db, withTenant } from "../tenant";
import type { AgentInput } from "./agents";
import { type Actor, recordAudit } from "./audit";

/** What a version holds: every setting the agent page and the API edit. */
export const agentSettingKeys = [
  "name",
  "systemPrompt",
  "firstMessage",
  "voice",
  "model",
  "mode",
  "language",
  "temperature",
  "interruptionSensitivity",
  "maxDurationSeconds",
  "silenceTimeoutSeconds",
  "endCallPhrases",
  "tools",
  "recordCalls",
  "recordingDisclosure",
  "analysisPlan",
  "knowledgeBaseIds",
  "retrievalMode",
  "turnTaking",
] as const satisfies readonly (keyof AgentInput)[];
// A setting added to AgentInput but not here would silently go unversioned: this fails to compile instead.
type Missing = Exclude<keyof AgentInput, (typeof agentSettingKeys)[number]>;
const _allVersioned: [Missing] extends [never] ? true : Missing = true;
void _allVersioned;

export type AgentSettings = Required<AgentInput>;
type AgentRow = typeof agents.$inferSelect;

export const settingsOf = (agent: AgentRow) =>
  Object.fromEntries(agentSettingKeys.map((k) => [k, agent[k]])) as AgentSettings;

/** Records the agent's state as it now is (inside the transaction that changed it). */
export async function recordVersion(tx: Tx, agent: AgentRow, actor: Actor, restoredFrom?: number) {
  await tx.insert(agentVersions).values({
    tenantId: agent.tenantId,
    agentId: agent.id,
    version: agent.version,
    settings: settingsOf(agent),
    createdBy: actor.userId,
    restoredFrom,
  });
}

export function listAgentVersions(db: Db, { agentId, tenantId }: { agentId: string; tenantId: string }) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(agentVersions)
      .where(and(eq(agentVersions.agentId, agentId), eq(agentVersions.tenantId, tenantId)))
      .orderBy(desc(agentVersions.version)),
  );
}

/**
 * Makes an old version current again, as a new version (history only grows). Null when the agent
 * or the version does not exist for this tenant.
 */
export function restoreAgentVersion(
  db: Db,
  { agentId, tenantId, version, actor }: { agentId: string; tenantId: string; version: number; actor: Actor },
) {
  return withTenant(db, tenantId, async (tx) => {
    const [old] = await tx
      .select({ settings: agentVersions.settings })
      .from(agentVersions)
      .where(
        and(
          eq(agentVersions.agentId, agentId),
          eq(agentVersions.tenantId, tenantId),
          eq(agentVersions.version, version),
        ),
      );
    if (!old) return null;
    // Versions saved before a setting existed had its default.
    const settings = {
      analysisPlan: {},
      knowledgeBaseIds: [],
      retrievalMode: "auto",
      turnTaking: {},
      ...Object.fromEntries(
        agentSettingKeys.map((k) => [k, (old.settings as AgentSettings)[k]]).filter(([, v]) => v !== undefined),
      ),
    };
    const [agent] = await tx
      .update(agents)
      .set({ ...settings, version: sql`${agents.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(agents.id, agentId), eq(agents.tenantId, tenantId), isNull(agents.deletedAt)))
      .returning();
    if (!agent) return null;
    await recordVersion(tx, agent, actor, version);
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "agent.restored",
      target: { type: "agent", id: agentId },
      metadata: { from: version, version: agent.version },
    });
    return agent;
  });
}
