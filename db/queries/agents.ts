import { and, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { AgentTool } from "../../core/agent-tools";
import type { TurnTaking } from "../../core/agents/turn-taking";
import type { AnalysisPlan } from "../../core/analysis/plan";
import type { PiiCipher } from "../../core/crypto/pii";
import { agents, knowledgeBases } from "../schema";
import { type Db, type Tx, withTenant } from "../tenant";
import { sealToolHeaders } from "../tool-headers";
import { recordVersion } from "./agent-versions";
import { type Actor, recordAudit } from "./audit";
import { checkPlanLimit } from "./billing";

export type AgentInput = {
  name: string;
  systemPrompt: string;
  firstMessage: string;
  voice: string;
  model: string;
  mode?: "cascade" | "speech_to_speech";
  language?: string;
  temperature?: string;
  interruptionSensitivity?: string;
  maxDurationSeconds?: number;
  silenceTimeoutSeconds?: number;
  endCallPhrases?: string[];
  tools?: AgentTool[];
  recordCalls?: boolean;
  recordingDisclosure?: string | null;
  analysisPlan?: AnalysisPlan;
  knowledgeBaseIds?: string[];
  retrievalMode?: "auto" | "tool";
  turnTaking?: Partial<TurnTaking>;
};
/** A setting that names something the tenant does not have (another team's knowledge base). */
export class AgentInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

// A foreign key ignores RLS, so the knowledge bases an agent names are checked against the tenant's own.
async function checkKnowledgeBases(tx: Tx, tenantId: string, ids: string[] | undefined) {
  if (!ids?.length) return;
  const own = await tx
    .select({ id: knowledgeBases.id })
    .from(knowledgeBases)
    .where(and(eq(knowledgeBases.tenantId, tenantId), inArray(knowledgeBases.id, ids)));
  if (own.length !== new Set(ids).size)
    throw new AgentInputError("knowledgeBaseIds", "Choose among your own knowledge bases.");
}

const live = (tenantId: string) => and(eq(agents.tenantId, tenantId), isNull(agents.deletedAt));

/** How tools are stored: HTTP tools' header values encrypted (db/tool-headers.ts); the cipher is needed only when there are some. */
async function toolsToStore(
  pii: PiiCipher | undefined,
  tenantId: string,
  tools: AgentTool[] | undefined,
  stored: AgentTool[] = [],
) {
  if (!tools?.some((t) => t.type === "http" && Object.keys(t.headers ?? {}).length)) return tools;
  if (!pii) throw new Error("HTTP tools' headers are secrets: saving them needs the PII cipher");
  const sealed = await sealToolHeaders(pii, { tenantId, tools, stored });
  if ("problem" in sealed) throw new AgentInputError("tools", sealed.problem);
  return sealed.tools;
}

export function listAgents(db: Db, { tenantId }: { tenantId: string }) {
  return withTenant(db, tenantId, (tx) =>
    tx.select().from(agents).where(live(tenantId)).orderBy(desc(agents.createdAt)),
  );
}

export async function getAgent(db: Db, { id, tenantId }: { id: string; tenantId: string }) {
  const [agent] = await withTenant(db, tenantId, (tx) =>
    tx
      .select()
      .from(agents)
      .where(and(eq(agents.id, id), live(tenantId))),
  );
  return agent ?? null;
}

/** `pii` seals HTTP tools' header values; without it, tools with headers are refused. */
type Sealing = { pii?: PiiCipher };

export function createAgent(
  db: Db,
  { tenantId, actor, pii, ...input }: AgentInput & Sealing & { tenantId: string; actor: Actor },
) {
  return withTenant(db, tenantId, async (tx) => {
    const [{ n }] = (await tx.select({ n: count() }).from(agents).where(live(tenantId))) as [{ n: number }];
    await checkPlanLimit(tx, tenantId, "agents", "agents", n);
    await checkKnowledgeBases(tx, tenantId, input.knowledgeBaseIds);
    const tools = await toolsToStore(pii, tenantId, input.tools);
    const [agent] = await tx
      .insert(agents)
      .values({ tenantId, ...input, tools })
      .returning();
    await recordVersion(tx, agent!, actor);
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "agent.created",
      target: { type: "agent", id: agent!.id },
      metadata: { name: input.name },
    });
    return agent!;
  });
}

export type UpdateResult = { ok: true; version: number } | { ok: false; reason: "not_found" | "conflict" };

/** Optimistic locking: the edit applies only to the version the editor saw. Each edit is a new version. */
export function updateAgent(
  db: Db,
  {
    id,
    tenantId,
    version,
    actor,
    pii,
    ...input
  }: AgentInput & Sealing & { id: string; tenantId: string; version: number; actor: Actor },
): Promise<UpdateResult> {
  return withTenant(db, tenantId, async (tx) => {
    await checkKnowledgeBases(tx, tenantId, input.knowledgeBaseIds);
    // A masked header keeps the value saved in the version being edited (locked until the update).
    const [current] = input.tools
      ? await tx
          .select({ tools: agents.tools })
          .from(agents)
          .where(and(eq(agents.id, id), live(tenantId), eq(agents.version, version)))
          .for("update")
      : [];
    const tools = current && (await toolsToStore(pii, tenantId, input.tools, current.tools));
    const [updated] =
      input.tools && !current
        ? []
        : await tx
            .update(agents)
            .set({ ...input, tools, version: sql`${agents.version} + 1`, updatedAt: sql`now()` })
            .where(and(eq(agents.id, id), live(tenantId), eq(agents.version, version)))
            .returning();
    if (updated) {
      await recordVersion(tx, updated, actor);
      await recordAudit(tx, {
        tenantId,
        actor,
        action: "agent.updated",
        target: { type: "agent", id },
        metadata: { version: updated.version },
      });
      return { ok: true, version: updated.version };
    }
    const [exists] = await tx
      .select({ id: agents.id })
      .from(agents)
      .where(and(eq(agents.id, id), live(tenantId)));
    return { ok: false, reason: exists ? "conflict" : "not_found" };
  });
}

/** Soft delete: the agent disappears from lists; its calls keep their history. */
export function deleteAgent(db: Db, { id, tenantId, actor }: { id: string; tenantId: string; actor: Actor }) {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .update(agents)
      .set({ deletedAt: sql`now()` })
      .where(and(eq(agents.id, id), live(tenantId)))
      .returning({ id: agents.id });
    if (rows.length) await recordAudit(tx, { tenantId, actor, action: "agent.deleted", target: { type: "agent", id } });
    return rows.length > 0;
  });
}
