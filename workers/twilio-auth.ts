import type { Context } from "hono";
import { verifyTwilioSignature } from "../core/twilio-signature";
import { authTokenForAccount } from "../db/queries/phone-numbers";
import type { AppEnv } from "./services";

/**
 * Twilio signs each webhook with the auth token of the account that owns the number: a tenant's
 * subaccount or imported account if we have it, else the platform's own. The AccountSid only picks
 * the key; a forged one picks a key the sender does not hold, so the check still fails.
 */
export async function twilioRequestValid(c: Context<AppEnv>, params: Record<string, string>) {
  const { config, db, pii } = c.get("services");
  const tenantToken = params.AccountSid ? await authTokenForAccount(db(), pii, params.AccountSid) : null;
  const valid = await verifyTwilioSignature(tenantToken ?? config.TWILIO_AUTH_TOKEN, c.req.header("x-twilio-signature"), c.req.url, params);
  /** `account`: the tenant account the request came from, which the relay must check the stream against. */
  return { valid, account: tenantToken ? params.AccountSid : undefined };
}
