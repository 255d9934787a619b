import { sayAndHangUpTwiml, TRANSFER_UNAVAILABLE } from "../../core/twiml";
import { addCallEvent } from "../../db/queries/call-lifecycle";
import { callAtTwilio } from "../../db/queries/call-status";
import { getTwilioAccount } from "../../db/queries/phone-numbers";
import type { TransferFallbackJob } from "../../db/queries/transfers";
import { clientFor, type Telephony } from "./numbers.server";

/**
 * The person of a warm transfer was not reached: the caller, on hold in the conference, is told
 * and the call ends. A caller who has already hung up (Twilio: not in progress) needs nothing.
 */
export async function handleTransferFallback(t: Telephony, job: TransferFallbackJob) {
  const where = await callAtTwilio(t.db, job);
  const account = where && (await getTwilioAccount(t.db, t.pii, { tenantId: job.tenantId, id: where.twilioAccountId }));
  if (!where || !account || (account.kind === "subaccount" && !t.main)) return { told: false };
  try {
    await clientFor(t, account)
      .calls(where.callSid)
      .update({ twiml: sayAndHangUpTwiml(TRANSFER_UNAVAILABLE) });
  } catch (err) {
    if ((err as { code?: number }).code === 21220) return { told: false }; // the call is over already
    throw err;
  }
  await addCallEvent(t.db, { ...job, type: "transfer.caller_told" });
  return { told: true };
}
