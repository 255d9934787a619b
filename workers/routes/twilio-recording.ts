import { Hono } from "hono/tiny";
import * as z from "../../core/zod";
import { recordingReady } from "../../db/queries/recordings";
import { errorResponse } from "../errors";
import type { AppEnv } from "../services";
import { logFields } from "../telemetry";
import { readTwilioWebhook } from "../twilio-auth";

/** Where Twilio posts a call's recording status; the same edge origin that served the TwiML. */
export const recordingCallbackUrl = (requestUrl: string) => new URL("/twilio/recording", requestUrl).toString();

const recordingParams = z.object({
  CallSid: z.string().check(z.regex(/^CA[0-9a-f]{32}$/i)),
  RecordingSid: z.string().check(z.regex(/^RE[0-9a-f]{32}$/i)),
  RecordingUrl: z.url(),
  RecordingStatus: z.string(),
  RecordingChannels: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(2))),
  RecordingDuration: z.optional(z.coerce.number().check(z.int(), z.minimum(-1))),
});

/**
 * Twilio's recording status callback. A finished recording is filed and its copy job queued (once
 * per RecordingSid, however often Twilio posts); the job moves it into our store (app/recordings).
 */
export const twilioRecording = new Hono<AppEnv>().post("/", async (c) => {
  const { db } = c.get("services");
  const requestId = c.get("requestId");
  const hook = await readTwilioWebhook(c, "recording");
  if (hook instanceof Response) return hook;
  const parsed = recordingParams.safeParse(hook.params);
  if (!parsed.success)
    return errorResponse(c, "BAD_REQUEST", "CallSid, RecordingSid, RecordingUrl and RecordingStatus are required.");
  const p = parsed.data;
  // `in-progress` and the like are not asked for; anything but a final state is acknowledged and ignored.
  if (!hook.signed.tenantId || (p.RecordingStatus !== "completed" && p.RecordingStatus !== "absent"))
    return c.body(null, 204);
  const result = await recordingReady(db(), {
    tenantId: hook.signed.tenantId,
    callSid: p.CallSid,
    recordingSid: p.RecordingSid,
    mediaUrl: p.RecordingUrl,
    status: p.RecordingStatus,
    channels: p.RecordingChannels,
    durationSeconds: p.RecordingDuration !== undefined && p.RecordingDuration >= 0 ? p.RecordingDuration : undefined,
  });
  logFields({
    level: "info",
    msg: "recording status",
    recordingSid: p.RecordingSid,
    status: p.RecordingStatus,
    recorded: result.recorded,
    requestId,
  });
  return c.body(null, 204);
});
