import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { pii } from "~/utils/pii.server";
import type { Telephony } from "./numbers.server";

/** The portal's telephony: the main Twilio account if configured, else SANDBOX (search and buy say so). */
export const telephony: Telephony = {
  db,
  pii,
  main: env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN ? { accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, apiUrl: env.TWILIO_API_URL } : null,
  edgeUrl: env.EDGE_PUBLIC_URL ?? "http://127.0.0.1:8787",
};
