import type { PiiCipher } from "../../core/crypto/pii";
import type { ApiScope } from "../../core/crypto/api-key";
import type { Db } from "../../db/tenant";
import type { Telephony } from "../telephony/numbers.server";

export type ApiServices = { db: Db; pii: PiiCipher; telephony: Telephony };
export type ApiEnv = { Variables: { requestId: string; services: ApiServices; key: { id: string; tenantId: string; scopes: ApiScope[] } } };
