import { and, eq } from "drizzle-orm";
import { follow } from "../pipeline";
import { callEvents, calls } from "../schema";
import { type Db, withTenant } from "../tenant";

export type TransferFallbackJob = { tenantId: string; callId: string };
export type TransferOutcome = "transfer.answered" | "transfer.completed" | "transfer.failed" | "transfer.ended";

/**
 * Files a transfer outcome on the call's events, once per kind (Twilio may post again). A warm
 * transfer whose person was not reached also queues the job that tells the waiting caller.
 */
export function recordTransferOutcome(
  db: Db,
  o: {
    tenantId: string;
    callId: string;
    type: TransferOutcome;
    payload: Record<string, unknown>;
    tellCaller?: boolean;
  },
) {
  return withTenant(db, o.tenantId, async (tx) => {
    const [call] = await tx
      .select({ id: calls.id })
      .from(calls)
      .where(and(eq(calls.id, o.callId), eq(calls.tenantId, o.tenantId)))
      .for("update");
    if (!call) return { recorded: false };
    const [seen] = await tx
      .select({ id: callEvents.id })
      .from(callEvents)
      .where(and(eq(callEvents.callId, o.callId), eq(callEvents.tenantId, o.tenantId), eq(callEvents.type, o.type)));
    if (seen) return { recorded: false };
    await tx.insert(callEvents).values({ tenantId: o.tenantId, callId: o.callId, type: o.type, payload: o.payload });
    if (o.tellCaller) await follow(tx, "transferUnreached", { tenantId: o.tenantId, callId: o.callId });
    return { recorded: true };
  });
}
