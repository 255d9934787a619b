import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import type { AnsweredBy } from "../../core/answered-by";
import { normalizePhone, type PiiCipher } from "../../core/crypto/pii";
import { piiField } from "../pii-columns";
import { agents, callAnalyses, callEvents, calls, callTurns } from "../schema";
import { type Db, withTenant } from "../tenant";
import { readCallAnalysis } from "./call-analyses";

const decryptNumber = (pii: PiiCipher, tenantId: string, column: "from_number" | "to_number", value: string | null) =>
  value ? pii.decrypt(value, piiField(tenantId, "calls", column)) : null;

/** A call's position in the list: its creation time to the microsecond (as text: a JS Date keeps only milliseconds) and id. */
export type CallCursor = { at: string; id: string };

/**
 * The tenant's calls, newest first; `from` finds a caller's calls through the blind index;
 * `before` continues after the last call of the previous page (keyset pagination: stable while
 * new calls arrive).
 */
export const callOutcomes = ["successful", "unsuccessful", "unevaluated"] as const;
export type CallOutcome = (typeof callOutcomes)[number];
const outcomeIs = (outcome: CallOutcome) =>
  outcome === "unevaluated" ? isNull(callAnalyses.success) : eq(callAnalyses.success, outcome === "successful");

export async function listCalls(
  db: Db,
  pii: PiiCipher,
  {
    tenantId,
    from,
    outcome,
    answeredBy,
    limit = 50,
    before,
  }: {
    tenantId: string;
    from?: string;
    outcome?: CallOutcome;
    answeredBy?: AnsweredBy;
    limit?: number;
    before?: CallCursor;
  },
) {
  const fromIndex = from
    ? await pii.blindIndex(normalizePhone(from), piiField(tenantId, "calls", "from_number"))
    : undefined;
  const rows = await withTenant(db, tenantId, (tx) =>
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
        position: sql<string>`to_char(${calls.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      })
      .from(calls)
      .leftJoin(agents, eq(agents.id, calls.agentId))
      .leftJoin(callAnalyses, eq(callAnalyses.callId, calls.id))
      .where(
        and(
          eq(calls.tenantId, tenantId),
          outcome ? outcomeIs(outcome) : undefined,
          answeredBy ? eq(calls.answeredBy, answeredBy) : undefined,
          fromIndex ? eq(calls.fromNumberIndex, fromIndex) : undefined,
          before ? sql`(${calls.createdAt}, ${calls.id}) < (${before.at}::timestamptz, ${before.id}::uuid)` : undefined,
        ),
      )
      .orderBy(desc(calls.createdAt), desc(calls.id))
      .limit(limit),
  );
  const decrypted = await Promise.all(
    rows.map(async (r) => ({ ...r, fromNumber: await decryptNumber(pii, tenantId, "from_number", r.fromNumber) })),
  );
  // The index is truncated, so it can collide: confirm on the decrypted value.
  return from
    ? decrypted.filter((r) => r.fromNumber && normalizePhone(r.fromNumber) === normalizePhone(from))
    : decrypted;
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
