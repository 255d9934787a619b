import { loadWebConfig } from "../../core/config";
import { createPiiCipher } from "../../core/crypto/pii";
import { createNodeDb } from "../node-client";
import { rotatePii } from "../pii-rotation";

/**
 * `npm run pii:rotate`: after putting a new key first in PII_ENCRYPTION_KEYS (and deploying, so
 * every process can read it), re-encrypt old rows. Remove the old key only after this finishes.
 */
const config = loadWebConfig(process.env);
const db = createNodeDb(config.DATABASE_URL, { localRole: config.DATABASE_LOCAL_ROLE, max: 2 });
const pii = createPiiCipher({ keys: config.PII_ENCRYPTION_KEYS, blindIndexKey: config.PII_BLIND_INDEX_KEY });
const batchSize = Number(process.env.PII_ROTATE_BATCH ?? 200);
console.log(`re-encrypting personal data under key "${pii.activeKeyId}" in batches of ${batchSize}`);
const report = await rotatePii(db, pii, { batchSize, log: console.log });
console.log(`done: ${report.rewritten} values rewritten across ${report.tenants} tenants`);
await db.$pool.end();
