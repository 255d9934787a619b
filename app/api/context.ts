import type { PiiCipher } from "../../core/crypto/pii";
import type { ApiScope } from "../../core/crypto/api-key";
import type { Db } from "../../db/tenant";
import type { ObjectStore } from "../recordings/object-store.server";
import type { Telephony } from "../telephony/numbers.server";

/** How new webhook URLs are checked (app/webhooks/endpoints.server). */
export type WebhookPolicy = { allowPrivate: boolean; production: boolean };
export type ApiServices = { db: Db; pii: PiiCipher; telephony: Telephony; webhooks: WebhookPolicy; recordings: ObjectStore };
export type ApiEnv = { Variables: { requestId: string; services: ApiServices; key: { id: string; tenantId: string; scopes: ApiScope[] } } };
