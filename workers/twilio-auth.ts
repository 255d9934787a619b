import type { Context } from "hono";
import { ipLimitKey } from "../core/ip-limit-key";
import { verifyTwilioSignature } from "../core/twilio-signature";
import { twilioAccountBySid } from "../db/queries/phone-numbers";
import { errorResponse } from "./errors";
import { clientIp } from "./front-door";
import { limitedResponse } from "./rate-limit";
import { readFormFields } from "./request-body";
import type { AppEnv } from "./services";
import { logFields } from "./telemetry";

/**
 * Twilio signs each webhook with the auth token of the account that owns the number: a tenant's
 * subaccount or imported account if we have it, else the platform's own. The AccountSid only picks
 * the key; a forged one picks a key the sender does not hold, so the check still fails.
 */
export async function twilioRequestValid(c: Context<AppEnv>, params: Record<string, string>) {
  const { config, db, pii } = c.get("services");
  const tenantAccount = params.AccountSid ? await twilioAccountBySid(db(), pii, params.AccountSid) : null;
  const valid = await verifyTwilioSignature(
    tenantAccount?.authToken ?? config.TWILIO_AUTH_TOKEN,
    c.req.header("x-twilio-signature"),
    c.req.url,
    params,
  );
  /** `account`/`accountId`: the tenant account the request came from (none: the platform's); `tenantId`: its owner. */
  return { valid, account: tenantAccount?.accountSid, accountId: tenantAccount?.id, tenantId: tenantAccount?.tenantId };
}

export type TwilioWebhook = { params: Record<string, string>; signed: Awaited<ReturnType<typeof twilioRequestValid>> };

/**
 * The first steps of every Twilio webhook: the per-IP limit, the form, the signature. Returns the
 * response to send when the request stops there.
 */
export async function readTwilioWebhook(c: Context<AppEnv>, route: string): Promise<TwilioWebhook | Response> {
  const { twilioLimiter } = c.get("services");
  const limited = await twilioLimiter.limit(`ip:${ipLimitKey(clientIp(c))}`);
  if (!limited.success)
    return limitedResponse(c, limited, { name: "twilio-ip", windowSeconds: 60 }, "Too many requests.");
  const params = await readFormFields(c);
  if (params instanceof Response) return params;
  const signed = await twilioRequestValid(c, params);
  if (!signed.valid) {
    logFields({ level: "warn", msg: "twilio signature rejected", route, requestId: c.get("requestId") });
    return errorResponse(c, "FORBIDDEN", "Invalid Twilio signature.");
  }
  return { params, signed };
}
