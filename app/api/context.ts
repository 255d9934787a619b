import type { PiiCipher } from "../../core/crypto/pii";
import type { ApiScope } from "../../core/crypto/api-key";
import type { Db } from "../../db/tenant";

export type ApiServices = { db: Db; pii: PiiCipher };
export type ApiEnv = { Variables: { requestId: string; services: ApiServices; key: { id: string; tenantId: string; scopes: ApiScope[] } } };
