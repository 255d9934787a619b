import { and, eq } from "drizzle-orm";
import { callCostMicros } from "../../core/money";
import { calls, usageRecords } from "../schema";
import { type Db, withTenant } from "../tenant";

export class CallNotEndedError extends Error {}

/**
 * Writes the usage record of an ended call, once: the unique (call_id, kind) index makes a
 * retried job a no-op, and the call's cost is set from the same figure.
 */
export function recordCallUsage(db: Db, input: { tenantId: string; callId: string; pricePerSecondMicros: bigint }) {
  const { tenantId, callId, pricePerSecondMicros } = input;
  return withTenant(db, tenantId, async (tx) => {
    const [call] = await tx
      .select({ durationSeconds: calls.durationSeconds, endedAt: calls.endedAt })
      .from(calls)
      .where(and(eq(calls.id, callId), eq(calls.tenantId, tenantId)));
    if (!call) return { recorded: false as const, reason: "no such call" };
    if (!call.endedAt || call.durationSeconds == null) throw new CallNotEndedError(`call ${callId} has not ended`);
    const amount = callCostMicros(call.durationSeconds, pricePerSecondMicros);
    const inserted = await tx
      .insert(usageRecords)
      .values({
        tenantId,
        callId,
        kind: "call_seconds",
        quantity: BigInt(call.durationSeconds),
        unitPriceMicros: pricePerSecondMicros,
        amountMicros: amount,
      })
      .onConflictDoNothing({ target: [usageRecords.callId, usageRecords.kind] })
      .returning({ id: usageRecords.id });
    if (inserted.length) await tx.update(calls).set({ costMicros: amount }).where(eq(calls.id, callId));
    return { recorded: inserted.length > 0, amount };
  });
}
