import { emailTexts } from "./email-texts";
import { appUrl } from "./mailer.server";

/** The portal's emails, with links to this portal. */
export const emails = emailTexts(appUrl);
