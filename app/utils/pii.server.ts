import { createPiiCipher } from "../../core/crypto/pii";
import { env } from "./env.server";

/** The portal's one cipher for personal data: keys parsed and imported once per process. */
export const pii = createPiiCipher({ keys: env.PII_ENCRYPTION_KEYS, blindIndexKey: env.PII_BLIND_INDEX_KEY });
