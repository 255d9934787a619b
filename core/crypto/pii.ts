import {
  decodeBase64,
  decodeBase64url,
  encodeBase64,
  encodeBase64url,
  fromUtf8,
  hmac,
  randomBytes,
  toHex,
  utf8,
} from "../bytes";
import { type ChunkLayout, chunkOpener, type DeriveChunkKey, sealChunked } from "./chunked";

/**
 * Application-level encryption of personal data (docs/decisions/0005). AES-256-GCM through Web
 * Crypto, so the same code runs in Node and in Workers. A value is `pii1.<keyId>.<iv‖ciphertext>`;
 * the additional data binds tenant, table and column, so a value copied elsewhere fails to decrypt.
 */
export type PiiField = { tenantId: string; table: string; column: string };
/** Binary data (a recording) is bound to its row as well: a file moved to another row fails to decrypt. */
export type PiiBlob = PiiField & { rowId: string };

export type PiiKey = { id: string; raw: Uint8Array };
const VERSION = "pii1";
const keyIdPattern = /^[a-z0-9_-]{1,16}$/;

export class PiiError extends Error {
  override name = "PiiError";
}

/** `id:base64key,id:base64key`, newest first: the first key encrypts, every key decrypts. */
export function parsePiiKeys(value: string): PiiKey[] {
  const keys = value.split(",").map((entry, i) => {
    const [id, b64, extra] = entry.trim().split(":");
    if (!id || !b64 || extra !== undefined || !keyIdPattern.test(id)) {
      throw new PiiError(`PII key ${i + 1} must look like "<id>:<base64 of 32 bytes>" with an id of a-z, 0-9, _ or -`);
    }
    let raw: Uint8Array;
    try {
      raw = decodeBase64(b64);
    } catch {
      throw new PiiError(`PII key "${id}" is not valid base64`);
    }
    if (raw.length !== 32) throw new PiiError(`PII key "${id}" must be 32 bytes (AES-256), got ${raw.length}`);
    return { id, raw };
  });
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new PiiError("PII key ids must be unique");
  return keys;
}

export const generatePiiKey = (id: string) => `${id}:${encodeBase64(randomBytes(32))}`;

const aad = (f: PiiField) => utf8(`bvrai|${VERSION}|${f.tenantId}|${f.table}|${f.column}`);
const blobAad = (f: PiiBlob) => utf8(`bvrai|${BLOB_VERSION}|${f.tenantId}|${f.table}|${f.column}|${f.rowId}`);
/** A blob is `BLOB_VERSION ‖ key id length ‖ key id ‖ iv ‖ ciphertext`, all bytes. */
const BLOB_VERSION = "pib1";

export const isCiphertext = (value: string) => value.startsWith(`${VERSION}.`);
export function keyIdOf(value: string) {
  return isCiphertext(value) ? value.split(".")[1] : undefined;
}

export type PiiCipher = ReturnType<typeof createPiiCipher>;

export function createPiiCipher(opts: { keys: string; blindIndexKey: string }) {
  const keys = parsePiiKeys(opts.keys);
  const active = keys[0]!;
  const imported = new Map<string, Promise<CryptoKey>>(
    keys.map((k) => [
      k.id,
      crypto.subtle.importKey("raw", new Uint8Array(k.raw), "AES-GCM", false, ["encrypt", "decrypt"]),
    ]),
  );
  const indexKey = utf8(opts.blindIndexKey);
  const hkdf = new Map(
    keys.map((k) => [k.id, crypto.subtle.importKey("raw", new Uint8Array(k.raw), "HKDF", false, ["deriveKey"])]),
  );
  const deriveChunkKey: DeriveChunkKey = async (keyId, salt, info) => {
    const id = keyId ?? active.id;
    const base = hkdf.get(id);
    if (!base) throw new PiiError(`no PII key "${id}" is configured`);
    const key = await crypto.subtle.deriveKey(
      { name: "HKDF", hash: "SHA-256", salt, info },
      await base,
      { name: "AES-GCM", length: 256 },
      false,
      ["encrypt", "decrypt"],
    );
    return { keyId: id, key };
  };
  const chunkInfo = (f: PiiBlob) => utf8(`bvrai|pic1|${f.tenantId}|${f.table}|${f.column}|${f.rowId}`);

  return {
    activeKeyId: active.id,

    async encrypt(plaintext: string, field: PiiField) {
      const iv = randomBytes(12);
      const key = await imported.get(active.id)!;
      const sealed = new Uint8Array(
        await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad(field) }, key, utf8(plaintext)),
      );
      const out = new Uint8Array(iv.length + sealed.length);
      out.set(iv);
      out.set(sealed, iv.length);
      return `${VERSION}.${active.id}.${encodeBase64url(out)}`;
    },

    async decrypt(value: string, field: PiiField) {
      const [version, id, body, extra] = value.split(".");
      if (version !== VERSION || !id || !body || extra !== undefined) throw new PiiError("not a pii1 ciphertext");
      const key = imported.get(id);
      if (!key) throw new PiiError(`no PII key "${id}" is configured`);
      const bytes = decodeBase64url(body);
      try {
        const plain = await crypto.subtle.decrypt(
          { name: "AES-GCM", iv: bytes.slice(0, 12), additionalData: aad(field) },
          await key,
          bytes.slice(12),
        );
        return fromUtf8(new Uint8Array(plain));
      } catch {
        throw new PiiError(`ciphertext does not decrypt for ${field.table}.${field.column} of this tenant`);
      }
    },

    async encryptBlob(plain: Uint8Array<ArrayBuffer>, field: PiiBlob) {
      const iv = randomBytes(12);
      const key = await imported.get(active.id)!;
      const sealed = new Uint8Array(
        await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: blobAad(field) }, key, plain),
      );
      const head = utf8(`${BLOB_VERSION}${String.fromCharCode(active.id.length)}${active.id}`);
      const out = new Uint8Array(head.length + iv.length + sealed.length);
      out.set(head);
      out.set(iv, head.length);
      out.set(sealed, head.length + iv.length);
      return out;
    },

    async decryptBlob(blob: Uint8Array<ArrayBuffer>, field: PiiBlob) {
      if (fromUtf8(blob.subarray(0, 4)) !== BLOB_VERSION || blob.length < 5) throw new PiiError("not a pib1 blob");
      const idEnd = 5 + blob[4]!;
      const id = fromUtf8(blob.subarray(5, idEnd));
      const key = imported.get(id);
      if (!key) throw new PiiError(`no PII key "${id}" is configured`);
      try {
        const iv = blob.slice(idEnd, idEnd + 12);
        const plain = await crypto.subtle.decrypt(
          { name: "AES-GCM", iv, additionalData: blobAad(field) },
          await key,
          blob.slice(idEnd + 12),
        );
        return new Uint8Array(plain);
      } catch {
        throw new PiiError(`blob does not decrypt for ${field.table}.${field.column} of this row and tenant`);
      }
    },

    /** Seals a large blob in chunks (core/crypto/chunked), so a byte range decrypts only its chunks. */
    sealChunked: (plain: Uint8Array, field: PiiBlob, chunkSize?: number) =>
      sealChunked(deriveChunkKey, plain, chunkInfo(field), chunkSize),
    chunkOpener: (layout: ChunkLayout, field: PiiBlob) => chunkOpener(deriveChunkKey, layout, chunkInfo(field)),

    /** A keyed, truncated (64-bit) HMAC for exact-match lookups; scoped like the ciphertext. */
    async blindIndex(normalized: string, field: PiiField) {
      const mac = await hmac(
        "SHA-256",
        indexKey,
        utf8(`${field.tenantId}|${field.table}|${field.column}|${normalized}`),
      );
      return toHex(mac.slice(0, 8));
    },

    needsRotation: (value: string) => keyIdOf(value) !== active.id,
  };
}

/** Phone numbers compare as E.164: a leading + and digits only. */
export const normalizePhone = (value: string) => {
  const digits = value.replace(/[^\d]/g, "");
  return digits ? `+${digits}` : "";
};
