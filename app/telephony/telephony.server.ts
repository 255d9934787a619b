import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { pii } from "~/utils/pii.server";
import { telephonyFrom } from "./numbers.server";

/** The portal's telephony: the main Twilio account if configured, else SANDBOX (search and buy say so). */
export const telephony = telephonyFrom(env, db, pii);
