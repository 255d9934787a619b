import twilio from "twilio";
import { TracedTwilioHttp } from "../core/telemetry/twilio-http";
import { escapeXml, holdRoom, sayAndHangUpTwiml, TRANSFER_UNAVAILABLE } from "../core/twiml";
import type { TransferRequest } from "../voice/tools";

/** `accountSid`: the tenant account (subaccount or imported) that owns the call, when it is not the main account. */
export type Transfer = (
  callSid: string,
  request: TransferRequest & { callId: string },
  accountSid?: string,
) => Promise<void>;
type Account = { kind: "subaccount" | "imported"; accountSid: string; authToken: string };

/**
 * Transfers through Twilio's REST API: the live call's TwiML is replaced, which ends our stream
 * (Twilio sends `stop`). Cold: a <Dial> to the number. Warm: the caller waits on hold in a
 * conference while the person is rung, briefed, and joins it (docs/decisions/0013). Outcomes
 * reach the edge's `/twilio/transfer` when `edgeUrl` is set. `apiUrl` points tests at a fake.
 */
export function twilioTransfer(opts: {
  accountSid: string;
  authToken: string;
  apiUrl?: string;
  edgeUrl?: string;
  account?: (accountSid: string) => Promise<Account | null>;
}): Transfer {
  const outcomeUrl = (callId: string, leg: "cold" | "caller" | "person") =>
    opts.edgeUrl ? `${new URL("/twilio/transfer", opts.edgeUrl)}?call=${callId}&leg=${leg}` : undefined;
  const dialAction = (callId: string, leg: "cold" | "caller") => {
    const url = outcomeUrl(callId, leg);
    return url ? ` action="${escapeXml(url)}"` : "";
  };
  /**
   * The main account reaches its own subaccounts; a tenant's imported account is not ours and
   * answers only to its own credentials.
   */
  const clientFor = async (accountSid: string | undefined) => {
    const account = accountSid ? await opts.account?.(accountSid) : null;
    if (accountSid && !account) throw new Error("the call's Twilio account is not known here");
    const client =
      account?.kind === "imported"
        ? twilio(account.accountSid, account.authToken, { httpClient: new TracedTwilioHttp() })
        : twilio(opts.accountSid, opts.authToken, {
            httpClient: new TracedTwilioHttp(),
            ...(accountSid ? { accountSid } : {}),
          });
    if (opts.apiUrl) client.api.baseUrl = opts.apiUrl;
    return client;
  };
  return async (callSid, { callId, number, mode, summary }, accountSid) => {
    if (!/^\+[1-9]\d{6,14}$/.test(number)) throw new Error("transfer number must be E.164");
    const client = await clientFor(accountSid);
    if (mode !== "warm") {
      await client
        .calls(callSid)
        .update({ twiml: `<Response><Dial${dialAction(callId, "cold")}>${number}</Dial></Response>` });
      return;
    }
    // The person sees the tenant's number that is on this call (To when it came in, From when we placed it).
    const caller = await client.calls(callSid).fetch();
    const ours = caller.direction === "inbound" ? caller.to : caller.from;
    const room = holdRoom(callId);
    await client.calls(callSid).update({
      twiml: `<Response><Dial${dialAction(callId, "caller")}><Conference beep="false" startConferenceOnEnter="false" endConferenceOnExit="true">${room}</Conference></Dial></Response>`,
    });
    const briefing = `You have a call transferred by your voice agent. ${summary ?? "The caller asked to speak with someone."} Connecting you now.`;
    const personStatus = outcomeUrl(callId, "person");
    try {
      await client.calls.create({
        to: number,
        from: ours,
        timeout: 25,
        twiml: `<Response><Say>${escapeXml(briefing)}</Say><Dial><Conference beep="false" endConferenceOnExit="true">${room}</Conference></Dial></Response>`,
        ...(personStatus ? { statusCallback: personStatus, statusCallbackEvent: ["answered", "completed"] } : {}),
      });
    } catch (err) {
      // Nobody can be rung: the caller, already on hold, is told rather than left there.
      await client
        .calls(callSid)
        .update({ twiml: sayAndHangUpTwiml(TRANSFER_UNAVAILABLE) })
        .catch(() => undefined);
      throw err;
    }
  };
}

/** Without Twilio credentials (development sandbox) a transfer is refused with a clear reason. */
export const noTransfer: Transfer = async () => {
  throw new Error("transfers need TWILIO_ACCOUNT_SID (not configured: SANDBOX)");
};
