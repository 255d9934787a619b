import type { Telephony } from "../../app/telephony/numbers.server";
import { startTwilioFake } from "../fakes/twilio/api";
import { startStack } from "./stack";

/**
 * The back half of the platform (edge, relay) plus a Twilio fake whose main account owns the
 * tenants' subaccounts, and the telephony operations wired to both, as the portal wires them.
 */
export async function startTelephonyStack(appUrl: string, onCall?: Parameters<typeof startTwilioFake>[0]["onCall"]) {
  const main = { accountSid: `AC${crypto.randomUUID().replace(/-/g, "")}`, authToken: `main-${crypto.randomUUID()}` };
  // With the jobs worker: every call these tests end is billed here, not left queued for later files.
  const stack = await startStack({ appUrl });
  const twilioFake = await startTwilioFake({ ...main, onCall });
  const t: Telephony = { db: stack.db, pii: stack.pii, main: { ...main, apiUrl: twilioFake.url }, edgeUrl: stack.edgeUrl };
  return {
    stack,
    twilioFake,
    t,
    async stop() {
      await twilioFake.stop();
      await stack.stop();
    },
  };
}
