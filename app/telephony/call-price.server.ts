import type PgBoss from "pg-boss";
import { parseDecimalMicros } from "../../core/money";
import { callAtTwilio, setProviderPrice } from "../../db/queries/call-status";
import { getTwilioAccount } from "../../db/queries/phone-numbers";
import type { CallEndedJob } from "../../db/queue";
import { clientFor, type Telephony } from "./numbers.server";

export class PriceNotReadyError extends Error {
  override name = "PriceNotReadyError";
}

/**
 * Stores what Twilio charged for a call's phone leg. Twilio sets the price a little after the call
 * ends, so until it is there this throws and the queue retries with backoff. Calls that never went
 * through a tenant's Twilio account (development, web) have nothing to price.
 */
export async function handleCallPrice(t: Telephony, job: PgBoss.Job<CallEndedJob>) {
  const where = await callAtTwilio(t.db, job.data);
  if (!where) return { priced: false };
  const account = await getTwilioAccount(t.db, t.pii, { tenantId: job.data.tenantId, id: where.twilioAccountId });
  if (!account || (account.kind === "subaccount" && !t.main)) return { priced: false };
  const call = await clientFor(t, account).calls(where.callSid).fetch();
  if (call.price == null) throw new PriceNotReadyError(`Twilio has not priced ${where.callSid} yet`);
  const micros = parseDecimalMicros(String(call.price));
  await setProviderPrice(t.db, { ...job.data, micros, unit: call.priceUnit ?? "USD" });
  return { priced: true, micros };
}
