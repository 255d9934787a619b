import twilio from "twilio";
import { TracedTwilioHttp } from "../../core/telemetry/twilio-http";

export type TwilioMain = { accountSid: string; authToken: string; apiUrl?: string };
export type TwilioClient = ReturnType<typeof twilio>;

/**
 * A client for one account: the main account itself, a subaccount (reached with the main account's
 * credentials, as Twilio allows), or an account a tenant imported (its own credentials).
 */
export function twilioClient(
  creds: { accountSid: string; authToken: string; apiUrl?: string },
  subaccountSid?: string,
): TwilioClient {
  const client = twilio(creds.accountSid, creds.authToken, {
    httpClient: new TracedTwilioHttp(),
    ...(subaccountSid ? { accountSid: subaccountSid } : {}),
  });
  if (creds.apiUrl) client.api.baseUrl = creds.apiUrl;
  return client;
}

/** Twilio's REST errors carry a status and a code; these are the ones a person can act on. */
export function twilioProblem(err: unknown): string {
  const e = err as { status?: number; code?: number; message?: string };
  if (e.status === 401) return "Twilio refused the credentials.";
  if (e.code === 21422 || e.code === 21421) return "That number is no longer available. Search again.";
  if (e.status === 404) return "Twilio does not know that number in this account.";
  return "Twilio could not complete the request. Try again in a moment.";
}
