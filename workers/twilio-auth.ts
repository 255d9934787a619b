import type { Context } from "hono";
import { verifyTwilioSignature } from "../core/twilio-signature";
import { twilioAccountBySid } from "../db/queries/phone-numbers";
import type { AppEnv } from "./services";

/**
 * Twilio signs each webhook with the auth token of the account that owns the number: a tenant's
 * subaccount or imported account if we have it, else the platform's own. The AccountSid only picks
 * the key; a forged one picks a key the sender does not hold, so the check still fails.
 */
export async function twilioRequestValid(c: Context<AppEnv>, params: Record<string, string>) {
  const { config, db, pii } = c.get("services");
  const tenantAccount = params.AccountSid ? await twilioAccountBySid(db(), pii, params.AccountSid) : null;
  const valid = await verifyTwilioSignature(tenantAccount?.authToken ?? config.TWILIO_AUTH_TOKEN, c.req.header("x-twilio-signature"), c.req.url, params);
  /** `account`: the tenant account the request came from (the relay checks the stream against it); `tenantId`: its owner. */
  return { valid, account: tenantAccount?.accountSid, tenantId: tenantAccount?.tenantId };
}
