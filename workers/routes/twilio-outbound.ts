import { Hono } from "hono/tiny";
import { answeredByFromTwilio } from "../../core/answered-by";
import { signStreamToken } from "../../core/stream-token";
import * as z from "../../core/zod";
import { outboundCallForAnswer, recordAnsweredBy } from "../../db/queries/outbound-calls";
import { errorResponse } from "../errors";
import type { AppEnv } from "../services";
import { logFields as log } from "../telemetry";
import { traceOf } from "../trace";
import { readTwilioWebhook } from "../twilio-auth";
import { connectStream, hangUp, relayStreamUrl, streamEndedUrl, twimlResponse as xml } from "../twiml";
import { recordingCallbackUrl } from "./twilio-recording";

const answerParams = z.object({
  CallSid: z.string().check(z.regex(/^CA[0-9a-f]{32}$/i)),
  // Any string: one Twilio does not document is recorded as `unknown` (core/answered-by), not refused.
  AnsweredBy: z.optional(z.string().check(z.maxLength(64))),
});

/**
 * Twilio asks what to do once an outbound call is answered (after machine detection, if asked
 * for). A person gets the agent through the relay; a machine gets the voicemail or a hang-up.
 */
export const twilioOutbound = new Hono<AppEnv>().post("/", async (c) => {
  const { config, db } = c.get("services");
  const requestId = c.get("requestId");
  const hook = await readTwilioWebhook(c, "outbound");
  if (hook instanceof Response) return hook;
  const { params, signed } = hook;
  const callId = z.uuid().safeParse(c.req.query("call"));
  const parsed = answerParams.safeParse(params);
  if (!callId.success || !parsed.success || !signed.tenantId)
    return errorResponse(c, "BAD_REQUEST", "Not an outbound call of ours.");
  const call = await outboundCallForAnswer(db(), { tenantId: signed.tenantId, callId: callId.data });
  if (call?.status !== "ringing" || !call.agentId) return xml(hangUp());
  // How the callee answered is the call's outcome whatever happens next (docs/decisions/0045).
  const answeredBy = answeredByFromTwilio(parsed.data.AnsweredBy);
  if (answeredBy)
    await recordAnsweredBy(db(), {
      tenantId: signed.tenantId,
      callId: call.id,
      answeredBy,
      twilio: parsed.data.AnsweredBy ?? "",
    });
  const machine = answeredBy === "voicemail" || answeredBy === "fax";
  const voicemail =
    answeredBy === "voicemail" && call.machineDetection === "leave_message" && Boolean(call.voicemailMessage);
  if (machine)
    log({
      level: "info",
      msg: "outbound answered by a machine",
      callId: call.id,
      answeredBy: parsed.data.AnsweredBy,
      outcome: answeredBy,
      voicemail,
      requestId,
    });
  if (machine && !voicemail) return xml(hangUp());
  // Signed at the answer, not the dial: the token need only last until the stream opens. A
  // voicemail is left by the agent itself, in its own voice, over the same stream.
  // The account that placed the call signs its callbacks and, later, its stream's handshake.
  const claims = {
    callId: call.id,
    tenantId: signed.tenantId,
    agentId: call.agentId,
    account: signed.account,
    ...(voicemail ? { voicemail: true as const } : {}),
  };
  const token = await signStreamToken(config.STREAM_TOKEN_SECRET, claims, config.STREAM_TOKEN_TTL_SECONDS);
  log({ level: "info", msg: "outbound call connected", callId: call.id, requestId });
  return xml(
    connectStream(
      relayStreamUrl(config.RELAY_PUBLIC_URL, signed.account),
      { token, ...traceOf(c) },
      {
        recordingCallback: call.recordCalls ? recordingCallbackUrl(c.req.url) : undefined,
        action: streamEndedUrl(c.req.url, { tenantId: signed.tenantId, callId: call.id }),
      },
    ),
  );
});
