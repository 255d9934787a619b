import { callsEnded } from "../../core/telemetry/metrics";
import { abandonedWebCalls, lostCalls } from "../../db/queries/call-heartbeat";
import { closeCall } from "../../db/queries/call-lifecycle";
import type { Db } from "../../db/tenant";

/** The relay beats every 15 s; four missed beats and more is not a slow write but a relay gone. */
export const LOST_AFTER_SECONDS = 75;

/**
 * Closes the calls a relay stopped reporting (killed, out of memory, partitioned) as
 * `relay_lost`, ended at its last heartbeat: the call is billed once, for no more than was
 * carried, and its webhooks go out. Its relay, if it was only slow, finds the call closed.
 */
export async function reapLostCalls(db: Db, opts: { silentSeconds?: number; tenantId?: string } = {}) {
  const lost = await lostCalls(db, {
    silentSeconds: opts.silentSeconds ?? LOST_AFTER_SECONDS,
    tenantId: opts.tenantId,
  });
  let closed = 0;
  for (const call of lost) {
    if (
      await closeCall(db, {
        tenantId: call.tenantId,
        callId: call.callId,
        reason: "relay_lost",
        endedAt: new Date(call.lastSeen),
      })
    ) {
      closed++;
      callsEnded.inc({ reason: "relay_lost" });
    }
  }
  // Widget sessions issued but never opened: closed, unbilled (never answered), so nothing shows them live.
  for (const call of await abandonedWebCalls(db, { tenantId: opts.tenantId })) {
    if (await closeCall(db, { tenantId: call.tenantId, callId: call.callId, reason: "abandoned" }))
      callsEnded.inc({ reason: "abandoned" });
  }
  return { found: lost.length, closed };
}
