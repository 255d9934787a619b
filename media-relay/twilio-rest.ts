import twilio from "twilio";

/** `accountSid`: the tenant subaccount that owns the call, when it is not the main account. */
export type Transfer = (callSid: string, number: string, accountSid?: string) => Promise<void>;

/**
 * Cold transfer through Twilio's REST API: the live call's TwiML is replaced by a <Dial>, which
 * ends our stream (Twilio sends `stop`) and rings the number. `apiUrl` points tests at a fake.
 */
export function twilioTransfer(opts: { accountSid: string; authToken: string; apiUrl?: string }): Transfer {
  return async (callSid, number, accountSid) => {
    if (!/^\+[1-9]\d{6,14}$/.test(number)) throw new Error("transfer number must be E.164");
    const client = twilio(opts.accountSid, opts.authToken, accountSid ? { accountSid } : {});
    if (opts.apiUrl) client.api.baseUrl = opts.apiUrl;
    await client.calls(callSid).update({ twiml: `<Response><Dial>${number}</Dial></Response>` });
  };
}

/** Without Twilio credentials (development sandbox) a transfer is refused with a clear reason. */
export const noTransfer: Transfer = async () => {
  throw new Error("transfers need TWILIO_ACCOUNT_SID (not configured: SANDBOX)");
};
