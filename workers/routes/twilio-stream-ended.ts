import { Hono } from "hono/tiny";
import * as z from "../../core/zod";
import { callIsOpen } from "../../db/queries/call-heartbeat";
import type { AppEnv } from "../services";
import { logFields as log } from "../telemetry";
import { readTwilioWebhook } from "../twilio-auth";
import { hangUp, sayAndHangUp, twimlResponse as xml } from "../twiml";
import { TROUBLE_LINE } from "./twilio-voice";

const query = z.object({ tenant: z.uuid(), call: z.uuid() });

/**
 * <Connect>'s action: Twilio asks what next when a call's stream has ended with the caller still
 * on the line. The relay closes a call's record before it closes the stream, so a call still open
 * here lost its relay (killed, partitioned): the caller hears an apology instead of dead air. The
 * lost-call sweep closes and bills it. Anything uncertain (the database away) just hangs up.
 */
export const twilioStreamEnded = new Hono<AppEnv>().post("/", async (c) => {
  const hook = await readTwilioWebhook(c, "stream-ended");
  if (hook instanceof Response) return hook;
  const q = query.safeParse(c.req.query());
  if (!q.success) return xml(hangUp());
  // A tenant account's signature speaks for that tenant's calls only (the platform's, for any).
  if (hook.signed.tenantId && hook.signed.tenantId !== q.data.tenant) {
    log({ level: "warn", msg: "stream ended: signed by another tenant's account", requestId: c.get("requestId") });
    return xml(hangUp());
  }
  try {
    if (!(await callIsOpen(c.get("services").db(), { tenantId: q.data.tenant, callId: q.data.call })))
      return xml(hangUp());
  } catch (err) {
    log({
      level: "warn",
      msg: "stream ended: call state unknown",
      err: String(err),
      callId: q.data.call,
      requestId: c.get("requestId"),
    });
    return xml(hangUp());
  }
  log({
    level: "error",
    msg: "stream lost with the caller on the line",
    callId: q.data.call,
    tenantId: q.data.tenant,
    requestId: c.get("requestId"),
  });
  return xml(sayAndHangUp(TROUBLE_LINE));
});
