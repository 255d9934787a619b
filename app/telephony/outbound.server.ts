import { standingMessage } from "../../core/billing/plans";
import { parsePhone } from "../../core/phone";
import {
  createOutboundCall,
  failOutboundCall,
  type OutboundRequest,
  setProviderCallSid,
} from "../../db/queries/outbound-calls";
import { getTwilioAccount } from "../../db/queries/phone-numbers";
import { clientFor, type Telephony, TelephonyError } from "./numbers.server";
import { twilioProblem } from "./twilio.server";

export type OutboundInput = Omit<OutboundRequest, "to"> & { to: string };

/**
 * Places an outbound call: the callee's number checked (libphonenumber) and against the tenant's
 * do-not-call list, the call recorded, then dialled by Twilio from the tenant's number. Twilio
 * asks the edge what to do once someone (or a machine) answers; statuses come to the edge too.
 * The portal and the public API both start calls through here.
 */
export async function startOutboundCall(t: Telephony, input: OutboundInput) {
  const to = parsePhone(input.to);
  if ("error" in to) throw new TelephonyError(to.error);
  const created = await createOutboundCall(t.db, t.pii, { ...input, to: to.e164 });
  if (created.kind === "do_not_call") throw new TelephonyError(`${to.e164} is on your do-not-call list.`);
  if (created.kind === "no_number") throw new TelephonyError("Choose one of your numbers to call from.");
  if (created.kind === "no_agent") throw new TelephonyError("Choose one of your agents.");
  if (created.kind === "refused") throw new TelephonyError(standingMessage(created.reason));
  if (created.kind === "busy") throw new TelephonyError(created.message);
  const account = created.twilioAccountId
    ? await getTwilioAccount(t.db, t.pii, { tenantId: input.tenantId, id: created.twilioAccountId })
    : null;
  if (!account || (account.kind === "subaccount" && !t.main)) {
    await failOutboundCall(t.db, { tenantId: input.tenantId, callId: created.callId, reason: "no_twilio_account" });
    throw new TelephonyError("That number is not connected to Twilio, so it cannot place calls.");
  }
  const client = clientFor(t, account);
  const answerUrl = new URL("/twilio/outbound", t.edgeUrl);
  answerUrl.searchParams.set("call", created.callId);
  // Twilio may report `initiated` before this request returns the CallSid: the URL names our call.
  const statusUrl = new URL("/twilio/status", t.edgeUrl);
  statusUrl.searchParams.set("call", created.callId);
  try {
    const call = await client.calls.create({
      to: to.e164,
      from: created.from,
      url: answerUrl.toString(),
      method: "POST",
      statusCallback: statusUrl.toString(),
      statusCallbackMethod: "POST",
      statusCallbackEvent: ["initiated", "ringing", "answered", "completed"],
      timeout: 30,
      ...(input.machineDetection === "off"
        ? {}
        : { machineDetection: input.machineDetection === "leave_message" ? "DetectMessageEnd" : "Enable" }),
    });
    await setProviderCallSid(t.db, { tenantId: input.tenantId, callId: created.callId, callSid: call.sid });
    return { callId: created.callId, callSid: call.sid, to: to.e164 };
  } catch (err) {
    await failOutboundCall(t.db, { tenantId: input.tenantId, callId: created.callId, reason: "dial_failed" });
    throw new TelephonyError(twilioProblem(err));
  }
}
