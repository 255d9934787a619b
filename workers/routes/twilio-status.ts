import { Hono } from "hono/tiny";
import * as z from "../../core/zod";
import { callStatusRank, recordCallStatus, type TwilioCallStatus } from "../../db/queries/call-status";
import { errorResponse } from "../errors";
import type { AppEnv } from "../services";
import { logFields as log } from "../telemetry";
import { readTwilioWebhook } from "../twilio-auth";

const statusParams = z.object({
  CallSid: z.string().check(z.regex(/^CA[0-9a-f]{32}$/i)),
  CallStatus: z.enum(Object.keys(callStatusRank) as [TwilioCallStatus, ...TwilioCallStatus[]]),
  CallDuration: z.optional(z.coerce.number().check(z.int(), z.nonnegative())),
});

/**
 * Twilio's call status callbacks, for every number and outbound call of a tenant's account.
 * Signature-checked with that account's token; applying one twice, or late, changes nothing.
 */
export const twilioStatus = new Hono<AppEnv>().post("/", async (c) => {
  const { db } = c.get("services");
  const requestId = c.get("requestId");
  const hook = await readTwilioWebhook(c, "status");
  if (hook instanceof Response) return hook;
  const { params, signed } = hook;
  const parsed = statusParams.safeParse(params);
  if (!parsed.success) return errorResponse(c, "BAD_REQUEST", "CallSid and a known CallStatus are required.");
  // The platform's own account (development numbers) has no tenant to file a status under.
  if (!signed.tenantId) return c.body(null, 204);
  const { CallSid, CallStatus, CallDuration } = parsed.data;
  const callId = z.uuid().safeParse(c.req.query("call"));
  const result = await recordCallStatus(db(), {
    tenantId: signed.tenantId,
    callSid: CallSid,
    callId: callId.success ? callId.data : undefined,
    status: CallStatus,
    durationSeconds: CallDuration,
  });
  log({ level: "info", msg: "call status", callSid: CallSid, status: CallStatus, applied: result.changed, requestId });
  return c.body(null, 204);
});
