import { z } from "zod";

/** The longest address mail can carry (RFC 5321's path limit): the API and the portal's team page both hold to it. */
export const INVITEE_EMAIL_MAX = 254;
/** Whom an invitation goes to, as the API and the portal's form both check it. */
export const inviteeEmail = z.email().max(INVITEE_EMAIL_MAX);
