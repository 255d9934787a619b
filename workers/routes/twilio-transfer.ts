import { Hono } from "hono/tiny";
import { TRANSFER_UNAVAILABLE } from "../../core/twiml";
import * as z from "../../core/zod";
import { recordTransferOutcome } from "../../db/queries/transfers";
import { errorResponse } from "../errors";
import type { AppEnv } from "../services";
import { readTwilioWebhook } from "../twilio-auth";
import { hangUp, sayAndHangUp, twimlResponse as xml } from "../twiml";

const query = z.object({ call: z.uuid(), leg: z.enum(["cold", "caller", "person"]) });
const answered = new Set(["answered", "completed"]);
const unreached = new Set(["busy", "no-answer", "failed", "canceled"]);

/**
 * How a transfer went (docs/decisions/0013). `cold` and `caller` are <Dial> actions on the
 * caller's leg, answered with what the caller hears next; `person` is the status callback of the
 * leg ringing the person in a warm transfer. Each outcome is filed once on the call's events.
 */
export const twilioTransfer = new Hono<AppEnv>().post("/", async (c) => {
  const { db } = c.get("services");
  const hook = await readTwilioWebhook(c, "transfer");
  if (hook instanceof Response) return hook;
  const q = query.safeParse(c.req.query());
  if (!q.success || !hook.signed.tenantId) return errorResponse(c, "BAD_REQUEST", "Not a transfer of ours.");
  const { call: callId, leg } = q.data;
  const owner = { tenantId: hook.signed.tenantId, callId };
  const duration = Number(hook.params.DialCallDuration ?? hook.params.CallDuration ?? 0) || 0;

  if (leg === "person") {
    const status = hook.params.CallStatus ?? "";
    if (status === "in-progress")
      await recordTransferOutcome(db(), { ...owner, type: "transfer.answered", payload: { leg } });
    else if (status === "completed")
      await recordTransferOutcome(db(), {
        ...owner,
        type: "transfer.ended",
        payload: { leg, durationSeconds: duration },
      });
    else if (unreached.has(status))
      await recordTransferOutcome(db(), {
        ...owner,
        type: "transfer.failed",
        payload: { leg, status },
        tellCaller: true,
      });
    return c.body(null, 204);
  }
  const status = hook.params.DialCallStatus ?? "";
  if (leg === "caller") {
    await recordTransferOutcome(db(), {
      ...owner,
      type: "transfer.ended",
      payload: { leg, durationSeconds: duration },
    });
    return xml(hangUp());
  }
  if (answered.has(status)) {
    await recordTransferOutcome(db(), {
      ...owner,
      type: "transfer.completed",
      payload: { leg, status, durationSeconds: duration },
    });
    return xml(hangUp());
  }
  await recordTransferOutcome(db(), { ...owner, type: "transfer.failed", payload: { leg, status } });
  return xml(sayAndHangUp(TRANSFER_UNAVAILABLE));
});
