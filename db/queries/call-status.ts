import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { callEvents, calls, phoneNumbers } from "../schema";
import { type Db, withTenant } from "../tenant";
import { settleRow } from "./campaigns";

/** Twilio's call statuses in the order a call moves through them; the last five all end it. */
export const callStatusRank = {
  queued: 0,
  initiated: 1,
  ringing: 2,
  "in-progress": 3,
  completed: 4,
  busy: 4,
  "no-answer": 4,
  failed: 4,
  canceled: 4,
} as const;
export type TwilioCallStatus = keyof typeof callStatusRank;

/**
 * Applies one status callback. A status is taken only if it is further along than the one held,
 * so a repeated callback, or one that arrives after a later one, changes nothing. A call that ends
 * without ever being answered (busy, no answer, failed, canceled) is closed with that reason.
 */
export function recordCallStatus(
  db: Db,
  s: { tenantId: string; callSid: string; callId?: string; status: TwilioCallStatus; durationSeconds?: number },
) {
  const rank = callStatusRank[s.status];
  return withTenant(db, s.tenantId, async (tx) => {
    const [call] = await tx
      .update(calls)
      .set({
        providerStatus: s.status,
        providerStatusRank: rank,
        providerCallSid: s.callSid,
        ...(s.durationSeconds !== undefined ? { providerDurationSeconds: s.durationSeconds } : {}),
      })
      .where(
        and(
          eq(calls.tenantId, s.tenantId),
          // Our own call id (outbound) also matches before the CallSid is stored; never a different CallSid.
          s.callId
            ? and(eq(calls.id, s.callId), or(isNull(calls.providerCallSid), eq(calls.providerCallSid, s.callSid)))
            : eq(calls.providerCallSid, s.callSid),
          lt(calls.providerStatusRank, rank),
        ),
      )
      .returning({
        id: calls.id,
        status: calls.status,
        campaignRowId: calls.campaignRowId,
        answeredBy: calls.answeredBy,
      });
    if (!call) return { changed: false };
    await tx.insert(callEvents).values({
      tenantId: s.tenantId,
      callId: call.id,
      type: "twilio.status",
      payload: {
        status: s.status,
        ...(s.durationSeconds !== undefined ? { durationSeconds: s.durationSeconds } : {}),
      },
    });
    // Over at Twilio while still ringing here: never answered, or answered but our stream never
    // opened (the relay was restarting): either way the call is over and costs us nothing.
    if (rank === 4 && call.status === "ringing") {
      await tx
        .update(calls)
        .set({
          status: "failed",
          // A machine the edge hung up on (detection set to hang up) never had a stream, by design.
          endReason:
            s.status !== "completed"
              ? s.status
              : call.answeredBy === "voicemail" || call.answeredBy === "fax"
                ? "machine_hangup"
                : "no_stream",
          endedAt: sql`now()`,
          durationSeconds: 0,
        })
        .where(and(eq(calls.id, call.id), eq(calls.tenantId, s.tenantId)));
    }
    if (rank === 4 && call.campaignRowId)
      await settleRow(tx, { tenantId: s.tenantId, rowId: call.campaignRowId, status: s.status, callId: call.id });
    return { changed: true, callId: call.id };
  });
}

/** Where Twilio keeps a call: its CallSid and the tenant account that owns the number it used. */
export async function callAtTwilio(db: Db, { tenantId, callId }: { tenantId: string; callId: string }) {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ callSid: calls.providerCallSid, twilioAccountId: phoneNumbers.twilioAccountId })
      .from(calls)
      .leftJoin(phoneNumbers, eq(phoneNumbers.id, calls.phoneNumberId))
      .where(and(eq(calls.id, callId), eq(calls.tenantId, tenantId))),
  );
  return row?.callSid && row.twilioAccountId ? { callSid: row.callSid, twilioAccountId: row.twilioAccountId } : null;
}

export function setProviderPrice(
  db: Db,
  { tenantId, callId, micros, unit }: { tenantId: string; callId: string; micros: bigint; unit: string },
) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .update(calls)
      .set({ providerPriceMicros: micros, providerPriceUnit: unit })
      .where(and(eq(calls.id, callId), eq(calls.tenantId, tenantId))),
  );
}
