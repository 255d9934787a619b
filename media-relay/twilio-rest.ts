import twilio from "twilio";

export type Transfer = (callSid: string, number: string) => Promise<void>;

/**
 * Cold transfer through Twilio's REST API: the live call's TwiML is replaced by a <Dial>, which
 * ends our stream (Twilio sends `stop`) and rings the number. `apiUrl` points tests at a fake.
 */
export function twilioTransfer(opts: { accountSid: string; authToken: string; apiUrl?: string }): Transfer {
  const client = twilio(opts.accountSid, opts.authToken);
  if (opts.apiUrl) client.api.baseUrl = opts.apiUrl;
  return async (callSid, number) => {
    if (!/^\+[1-9]\d{6,14}$/.test(number)) throw new Error("transfer number must be E.164");
    await client.calls(callSid).update({ twiml: `<Response><Dial>${number}</Dial></Response>` });
  };
}

/** Without Twilio credentials (development sandbox) a transfer is refused with a clear reason. */
export const noTransfer: Transfer = async () => {
  throw new Error("transfers need TWILIO_ACCOUNT_SID (not configured: SANDBOX)");
};
