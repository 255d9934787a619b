import { services } from "../services/current.server";

/** The portal's telephony: the main Twilio account if configured, else SANDBOX (search and buy say so). */
export const telephony = () => services().telephony;
