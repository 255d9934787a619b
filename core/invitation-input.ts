import { z } from "zod";
import { INVITEE_EMAIL_MAX } from "./invitation-limits";

export { INVITEE_EMAIL_MAX } from "./invitation-limits";

/** Whom an invitation goes to, as the API and the portal's form both check it. */
export const inviteeEmail = z.email().max(INVITEE_EMAIL_MAX);
