import { billingOf } from "../../db/queries/billing";
import type { Db } from "../../db/tenant";
import { TelephonyError } from "../telephony/numbers.server";
import { ApiError } from "./errors";

/** The tenant as the telephony operations want it (its name labels its Twilio subaccount). */
export async function apiTenant(db: Db, tenantId: string) {
  const t = await billingOf(db, { tenantId });
  return { tenantId, tenantName: t?.name ?? tenantId, actor: { userId: null, ip: null } };
}

/** Telephony refusals (a limit, a do-not-call number, Twilio's no) become the API's 400 with the same words. */
export async function telephonyCall<T>(run: () => Promise<T>) {
  try {
    return await run();
  } catch (err) {
    if (err instanceof TelephonyError) throw new ApiError("BAD_REQUEST", err.message);
    throw err;
  }
}
