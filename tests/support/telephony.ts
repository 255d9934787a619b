import type { Telephony } from "../../app/telephony/numbers.server";
import { startS3Fake } from "../fakes/s3";
import { startTwilioFake } from "../fakes/twilio/api";
import { startStack } from "./stack";

/**
 * The back half of the platform (edge, relay, jobs) plus a Twilio fake whose main account owns the
 * tenants' subaccounts and an S3 fake for recordings, and the telephony operations wired to them,
 * as the portal and the jobs process wire them.
 */
export async function startTelephonyStack(
  appUrl: string,
  onCall?: Parameters<typeof startTwilioFake>[0]["onCall"],
  jobsEnv: Record<string, string> = {},
) {
  const main = { accountSid: `AC${crypto.randomUUID().replace(/-/g, "")}`, authToken: `main-${crypto.randomUUID()}` };
  const twilioFake = await startTwilioFake({ ...main, onCall });
  const s3 = { bucket: "recordings", accessKeyId: "AKIDBVRAITEST", secretAccessKey: `s3-${crypto.randomUUID()}` };
  const s3Fake = await startS3Fake(s3);
  const storeEnv = {
    RECORDINGS_S3_BUCKET: s3.bucket,
    RECORDINGS_S3_ENDPOINT: s3Fake.url,
    RECORDINGS_S3_ACCESS_KEY_ID: s3.accessKeyId,
    RECORDINGS_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    RECORDINGS_S3_REGION: "auto",
    RECORDINGS_DIR: "",
  };
  // With the jobs worker: every call these tests end is billed here, not left queued for later files.
  const stack = await startStack({
    appUrl,
    jobsEnv: {
      TWILIO_ACCOUNT_SID: main.accountSid,
      TWILIO_AUTH_TOKEN: main.authToken,
      TWILIO_API_URL: twilioFake.url,
      ...storeEnv,
      ...jobsEnv,
    },
  });
  const t: Telephony = {
    db: stack.db,
    pii: stack.pii,
    main: { ...main, apiUrl: twilioFake.url },
    edgeUrl: stack.edgeUrl,
  };
  return {
    stack,
    twilioFake,
    s3Fake,
    storeEnv,
    t,
    async stop() {
      await twilioFake.stop();
      await s3Fake.stop();
      await stack.stop();
    },
  };
}
