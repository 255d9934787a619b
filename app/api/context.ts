import type { ApiScope } from "../../core/crypto/api-key";
import type { PiiCipher } from "../../core/crypto/pii";
import type { Db } from "../../db/tenant";
import type { ObjectStore } from "../recordings/object-store.server";
import type { Telephony } from "../telephony/numbers.server";
import type { emailTexts } from "../utils/email-texts";
import type { Mailer } from "../utils/mail-transports.server";

/** How new webhook URLs are checked (app/webhooks/endpoints.server). */
export type WebhookPolicy = { allowPrivate: boolean; production: boolean };
/** Email for what the API does on a person's behalf (invitations), worded as the portal words it. */
export type ApiMail = Mailer & { texts: ReturnType<typeof emailTexts> };
export type ApiServices = {
  db: Db;
  pii: PiiCipher;
  telephony: Telephony;
  webhooks: WebhookPolicy;
  recordings: ObjectStore;
  mail: ApiMail;
};
export type ApiEnv = {
  Variables: { requestId: string; services: ApiServices; key: { id: string; tenantId: string; scopes: ApiScope[] } };
};
