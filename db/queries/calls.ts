import { and, asc, desc, eq } from "drizzle-orm";
import { agents, callEvents, calls, callTurns } from "../schema";
import { type Db, withTenant } from "../tenant";

export function listCalls(db: Db, { tenantId, limit = 50 }: { tenantId: string; limit?: number }) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: calls.id,
        createdAt: calls.createdAt,
        direction: calls.direction,
        status: calls.status,
        fromNumber: calls.fromNumber,
        durationSeconds: calls.durationSeconds,
        costMicros: calls.costMicros,
        agentName: agents.name,
      })
      .from(calls)
      .leftJoin(agents, eq(agents.id, calls.agentId))
      .where(eq(calls.tenantId, tenantId))
      .orderBy(desc(calls.createdAt))
      .limit(limit),
  );
}

export function getCall(db: Db, { id, tenantId }: { id: string; tenantId: string }) {
  return withTenant(db, tenantId, async (tx) => {
    const [call] = await tx
      .select({ call: calls, agentName: agents.name })
      .from(calls)
      .leftJoin(agents, eq(agents.id, calls.agentId))
      .where(and(eq(calls.id, id), eq(calls.tenantId, tenantId)));
    if (!call) return null;
    const turns = await tx.select().from(callTurns).where(eq(callTurns.callId, id)).orderBy(asc(callTurns.seq));
    const events = await tx.select().from(callEvents).where(eq(callEvents.callId, id)).orderBy(asc(callEvents.createdAt));
    return { ...call.call, agentName: call.agentName, turns, events };
  });
}
