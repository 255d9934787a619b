import { and, asc, eq, gte, isNull, lt } from "drizzle-orm";
import type { AnsweredBy } from "../../core/answered-by";
import { normalizePhone, type PiiCipher } from "../../core/crypto/pii";
import { piiField } from "../pii-columns";
import { agents, callAnalyses, callEvents, type callStatuses, calls, callTurns } from "../schema";
import { type Db, withTenant } from "../tenant";
import { readCallAnalysis } from "./call-analyses";
import {
  decodeCursor,
  keyset,
  keyText,
  nextCursor,
  pageSize,
  readSegments,
  type SortDir,
  type SortSpec,
} from "./keyset";

type CallStatus = (typeof callStatuses)[number];

const decryptNumber = (pii: PiiCipher, tenantId: string, column: "from_number" | "to_number", value: string | null) =>
  value ? pii.decrypt(value, piiField(tenantId, "calls", column)) : null;

export const callOutcomes = ["successful", "unsuccessful", "unevaluated"] as const;
export type CallOutcome = (typeof callOutcomes)[number];
const outcomeIs = (outcome: CallOutcome) =>
  outcome === "unevaluated" ? isNull(callAnalyses.success) : eq(callAnalyses.success, outcome === "successful");

/**
 * The sorts the calls list offers: each is one range of a (tenant, key, id) index, so any page of
 * a million calls reads about a page of rows (docs/decisions/0039, 0053). A call without a
 * duration or cost yet (live, or never answered) comes last longest-first and first shortest-first.
 */
export const callSorts = {
  created: { expr: calls.createdAt, kind: "time" },
  duration: { expr: calls.durationSeconds, kind: "int", nullable: true },
  cost: { expr: calls.costMicros, kind: "int", nullable: true },
} satisfies Record<string, SortSpec>;
export type CallSort = keyof typeof callSorts;

export type CallFilters = {
  from?: string;
  outcome?: CallOutcome;
  answeredBy?: AnsweredBy;
  agentId?: string;
  status?: CallStatus;
  /** Calls created at or after this instant, and before `until`. */
  since?: Date;
  until?: Date;
};

/**
 * A page of the tenant's calls (newest first unless `sort`/`dir` say otherwise) and the cursor of
 * the next; `from` finds a caller's calls through the blind index. Throws CursorError for a
 * cursor that is not this list's, in this order.
 */
export async function listCallsPage(
  db: Db,
  pii: PiiCipher,
  {
    tenantId,
    limit,
    sort = "created",
    dir = "desc",
    cursor,
    ...filters
  }: CallFilters & { tenantId: string; limit?: number; sort?: CallSort; dir?: SortDir; cursor?: string },
) {
  const size = pageSize(limit);
  const spec = callSorts[sort];
  const after = cursor ? decodeCursor(cursor, sort, dir, spec) : undefined;
  const { from, outcome, answeredBy, agentId, status, since, until } = filters;
  const fromIndex = from
    ? await pii.blindIndex(normalizePhone(from), piiField(tenantId, "calls", "from_number"))
    : undefined;
  const conditions = and(
    eq(calls.tenantId, tenantId),
    outcome ? outcomeIs(outcome) : undefined,
    answeredBy ? eq(calls.answeredBy, answeredBy) : undefined,
    fromIndex ? eq(calls.fromNumberIndex, fromIndex) : undefined,
    agentId ? eq(calls.agentId, agentId) : undefined,
    status ? eq(calls.status, status) : undefined,
    since ? gte(calls.createdAt, since) : undefined,
    until ? lt(calls.createdAt, until) : undefined,
  );
  const rows = await withTenant(db, tenantId, (tx) =>
    readSegments(keyset(spec, calls.id, dir, after), size, (segment, limit) =>
      tx
        .select({
          id: calls.id,
          createdAt: calls.createdAt,
          direction: calls.direction,
          status: calls.status,
          fromNumber: calls.fromNumber,
          origin: calls.origin,
          durationSeconds: calls.durationSeconds,
          costMicros: calls.costMicros,
          agentName: agents.name,
          success: callAnalyses.success,
          answeredBy: calls.answeredBy,
          sortKey: keyText(spec),
        })
        .from(calls)
        .leftJoin(agents, eq(agents.id, calls.agentId))
        .leftJoin(callAnalyses, eq(callAnalyses.callId, calls.id))
        .where(and(conditions, segment.where))
        .orderBy(...segment.orderBy)
        .limit(limit),
    ),
  );
  // The next cursor comes from the rows read, before the collision filter below can drop one.
  const { page: shown, nextCursor: next } = nextCursor(rows, size, sort, dir);
  const decrypted = await Promise.all(
    shown.map(async (r) => ({ ...r, fromNumber: await decryptNumber(pii, tenantId, "from_number", r.fromNumber) })),
  );
  // The index is truncated, so it can collide: confirm on the decrypted value.
  const matching = from
    ? decrypted.filter((r) => r.fromNumber && normalizePhone(r.fromNumber) === normalizePhone(from))
    : decrypted;
  return { calls: matching, nextCursor: next };
}

/** The first `limit` calls of a list (newest first unless sorted otherwise), without paging. */
export async function listCalls(db: Db, pii: PiiCipher, options: Parameters<typeof listCallsPage>[2]) {
  return (await listCallsPage(db, pii, options)).calls;
}

export function getCall(db: Db, pii: PiiCipher, { id, tenantId }: { id: string; tenantId: string }) {
  return withTenant(db, tenantId, async (tx) => {
    const [call] = await tx
      .select({ call: calls, agentName: agents.name })
      .from(calls)
      .leftJoin(agents, eq(agents.id, calls.agentId))
      .where(and(eq(calls.id, id), eq(calls.tenantId, tenantId)));
    if (!call) return null;
    const turns = await tx.select().from(callTurns).where(eq(callTurns.callId, id)).orderBy(asc(callTurns.seq));
    const events = await tx
      .select()
      .from(callEvents)
      .where(eq(callEvents.callId, id))
      .orderBy(asc(callEvents.createdAt));
    const { fromNumberIndex: _, ...rest } = call.call;
    return {
      ...rest,
      fromNumber: await decryptNumber(pii, tenantId, "from_number", rest.fromNumber),
      toNumber: await decryptNumber(pii, tenantId, "to_number", rest.toNumber),
      agentName: call.agentName,
      turns,
      events,
      analysis: await readCallAnalysis(tx, pii, { tenantId, callId: id }),
    };
  });
}
