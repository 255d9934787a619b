import type { Context } from "hono";
import { Hono } from "hono/tiny";
import { BUSY_LINE } from "../../core/billing/plans";
import { signStreamToken } from "../../core/stream-token";
import * as z from "../../core/zod";
import { closeCall } from "../../db/queries/call-lifecycle";
import { routeInboundCall } from "../../db/queries/inbound-calls";
import { errorResponse } from "../errors";
import { atCallLimit } from "../live-calls";
import type { AppEnv } from "../services";
import { logFields as log } from "../telemetry";
import { traceOf } from "../trace";
import { readTwilioWebhook } from "../twilio-auth";
import { connectStream, relayStreamUrl, sayAndHangUp, streamEndedUrl, twimlResponse as xml } from "../twiml";
import { recordingCallbackUrl } from "./twilio-recording";

const voiceParams = z.object({
  CallSid: z.string().check(z.regex(/^CA[0-9a-f]{32}$/i)),
  To: z.string().check(z.regex(/^\+[1-9]\d{6,14}$/)),
  From: z.string().check(z.minLength(1)),
});

/** What a caller hears when the platform cannot take the call at all (its database is away). */
export const TROUBLE_LINE =
  "Sorry, we are having technical trouble and cannot take your call right now. Please call again in a few minutes. Goodbye.";

export const twilioVoice = new Hono<AppEnv>().post("/", async (c) => {
  try {
    return await answer(c);
  } catch (err) {
    // Twilio would say "an application error has occurred": the caller hears our own words instead.
    log({ level: "error", msg: "inbound call could not be answered", err: String(err), requestId: c.get("requestId") });
    return xml(sayAndHangUp(TROUBLE_LINE));
  }
});

async function answer(c: Context<AppEnv>) {
  const { config, db, pii } = c.get("services");
  const requestId = c.get("requestId");
  const hook = await readTwilioWebhook(c, "voice");
  if (hook instanceof Response) return hook;
  const { params, signed } = hook;
  const parsed = voiceParams.safeParse(params);
  if (!parsed.success) return errorResponse(c, "BAD_REQUEST", "CallSid, To and From are required.");

  const { CallSid, To, From } = parsed.data;
  const signer = signed.accountId ? { accountId: signed.accountId } : "platform";
  const route = await routeInboundCall(db(), pii, { to: To, from: From, providerCallSid: CallSid, signer });
  if (route.kind === "wrong_account") {
    // Signed by a tenant's account for a number that account does not own: never Twilio's doing.
    log({
      level: "warn",
      msg: "inbound call signed by another account refused",
      tenantId: route.tenantId,
      signerTenantId: signed.tenantId,
      callSid: CallSid,
      requestId,
    });
    return errorResponse(c, "FORBIDDEN", "This account does not own the called number.");
  }
  if (route.kind === "refused") {
    // The caller hears nothing about the business's billing; the tenant sees why in the portal.
    log({
      level: "warn",
      msg: "inbound call refused",
      reason: route.reason,
      tenantId: route.tenantId,
      callSid: CallSid,
      requestId,
    });
    return xml(sayAndHangUp("Sorry, this line cannot take calls right now. Please try again later. Goodbye."));
  }
  if (route.kind !== "connect") {
    log({ level: "warn", msg: "inbound call not routed", reason: route.kind, callSid: CallSid, requestId });
    return xml(sayAndHangUp("Sorry, this number is not in service. Goodbye."));
  }
  if (await atCallLimit(config, route.tenantId, route.concurrentCalls)) {
    // At the plan's calls-at-once: said here, without opening a stream the relay would refuse.
    log({
      level: "warn",
      msg: "inbound call over the plan's concurrent calls",
      tenantId: route.tenantId,
      callSid: CallSid,
      requestId,
    });
    await closeCall(db(), { tenantId: route.tenantId, callId: route.callId, reason: "concurrency_limit" });
    return xml(sayAndHangUp(BUSY_LINE));
  }
  const token = await signStreamToken(
    config.STREAM_TOKEN_SECRET,
    {
      callId: route.callId,
      tenantId: route.tenantId,
      agentId: route.agentId,
      ...(route.accountSid ? { account: route.accountSid } : {}),
    },
    config.STREAM_TOKEN_TTL_SECONDS,
  );
  log({ level: "info", msg: "inbound call connected", callId: route.callId, tenantId: route.tenantId, requestId });
  // Twilio signs the stream's handshake with the token of the account that owns the call.
  const streamUrl = relayStreamUrl(config.RELAY_PUBLIC_URL, route.accountSid);
  const recordingCallback = route.record ? recordingCallbackUrl(c.req.url) : undefined;
  return xml(
    connectStream(streamUrl, { token, ...traceOf(c) }, { recordingCallback, action: streamEndedUrl(c.req.url, route) }),
  );
}
