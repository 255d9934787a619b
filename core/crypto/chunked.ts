import { fromUtf8, randomBytes, utf8 } from "../bytes";

/**
 * Large personal data (call recordings) sealed in fixed-size chunks, so that a byte range is
 * read by decrypting only the chunks it touches (docs/decisions/0027). The layout:
 *
 *   "pic1" ‖ key id length (1) ‖ key id ‖ chunk size (u32) ‖ plaintext length (u64) ‖ salt (16)
 *   then per chunk: AES-256-GCM ciphertext ‖ tag (16)
 *
 * Each file has its own key, HKDF-SHA256 of the PII key with the salt and the file's binding
 * (tenant, table, column, row) as info, so a chunk moved from another recording fails. Chunk i is
 * sealed with nonce i and additional data header ‖ i ‖ last?, so chunks cannot be reordered,
 * dropped from the end, or read under a changed header.
 */
export const CHUNKED_MAGIC = "pic1";
export const CHUNK_SIZE = 64 * 1024;
export const TAG_BYTES = 16;
/** The longest header (a 16-character key id): reading this many bytes always covers it. */
export const MAX_HEADER_BYTES = 4 + 1 + 16 + 4 + 8 + 16;

export type ChunkLayout = {
  header: Uint8Array<ArrayBuffer>;
  keyId: string;
  chunkSize: number;
  plainLength: number;
  salt: Uint8Array;
  chunkCount: number;
};
/** The AES-GCM key of one file: derived from the named (or active) PII key, the salt and the info. */
export type DeriveChunkKey = (
  keyId: string | null,
  salt: Uint8Array<ArrayBuffer>,
  info: Uint8Array<ArrayBuffer>,
) => Promise<{ keyId: string; key: CryptoKey }>;

export class ChunkError extends Error {
  override name = "ChunkError";
}

const chunkCount = (plainLength: number, chunkSize: number) => Math.max(1, Math.ceil(plainLength / chunkSize));

function header(keyId: string, chunkSize: number, plainLength: number, salt: Uint8Array) {
  const id = utf8(keyId);
  const out = new Uint8Array(4 + 1 + id.length + 4 + 8 + 16);
  const view = new DataView(out.buffer);
  out.set(utf8(CHUNKED_MAGIC));
  out[4] = id.length;
  out.set(id, 5);
  view.setUint32(5 + id.length, chunkSize);
  view.setBigUint64(9 + id.length, BigInt(plainLength));
  out.set(salt, 17 + id.length);
  return out;
}

/** The layout a sealed file's first bytes describe; null when they are not a chunked file. */
export function parseChunkedHeader(bytes: Uint8Array): ChunkLayout | null {
  if (bytes.length < 5 || fromUtf8(bytes.subarray(0, 4)) !== CHUNKED_MAGIC) return null;
  const idLength = bytes[4]!;
  const end = 33 + idLength;
  if (idLength < 1 || idLength > 16 || bytes.length < end) throw new ChunkError("truncated chunked header");
  const view = new DataView(bytes.buffer, bytes.byteOffset, end);
  const chunkSize = view.getUint32(5 + idLength);
  const plainLength = Number(view.getBigUint64(9 + idLength));
  if (chunkSize < 1024 || chunkSize > 16 * 1024 * 1024 || !Number.isSafeInteger(plainLength))
    throw new ChunkError("implausible chunked header");
  return {
    header: bytes.slice(0, end),
    keyId: fromUtf8(bytes.subarray(5, 5 + idLength)),
    chunkSize,
    plainLength,
    salt: bytes.slice(17 + idLength, end),
    chunkCount: chunkCount(plainLength, chunkSize),
  };
}

/** Where chunk `i` lies in the sealed file, [start, end) in bytes. */
export function chunkSpan(l: ChunkLayout, i: number) {
  const start = l.header.length + i * (l.chunkSize + TAG_BYTES);
  const plain = Math.min(l.chunkSize, l.plainLength - i * l.chunkSize);
  return { start, end: start + Math.max(0, plain) + TAG_BYTES };
}

const nonce = (i: number) => {
  const n = new Uint8Array(12);
  new DataView(n.buffer).setBigUint64(4, BigInt(i));
  return n;
};
function aad(l: { header: Uint8Array; chunkCount: number }, i: number) {
  const out = new Uint8Array(l.header.length + 9);
  out.set(l.header);
  new DataView(out.buffer).setBigUint64(l.header.length, BigInt(i));
  out[l.header.length + 8] = i === l.chunkCount - 1 ? 1 : 0;
  return out;
}

/** Seals `plain` whole, chunk by chunk, under a key of its own. */
export async function sealChunked(
  derive: DeriveChunkKey,
  plain: Uint8Array,
  info: Uint8Array<ArrayBuffer>,
  chunkSize = CHUNK_SIZE,
) {
  const salt = randomBytes(16);
  const { keyId, key } = await derive(null, salt, info);
  const head = header(keyId, chunkSize, plain.length, salt);
  const layout = { header: head, chunkCount: chunkCount(plain.length, chunkSize) };
  const out = new Uint8Array(head.length + plain.length + layout.chunkCount * TAG_BYTES);
  out.set(head);
  for (let i = 0; i < layout.chunkCount; i++) {
    const part = plain.slice(i * chunkSize, (i + 1) * chunkSize);
    const sealed = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv: nonce(i), additionalData: aad(layout, i) },
      key,
      part,
    );
    out.set(new Uint8Array(sealed), head.length + i * (chunkSize + TAG_BYTES));
  }
  return out;
}

/** Opens single chunks of one sealed file: `open(i, bytes)` with the bytes of `chunkSpan(layout, i)`. */
export async function chunkOpener(derive: DeriveChunkKey, layout: ChunkLayout, info: Uint8Array<ArrayBuffer>) {
  const { key } = await derive(layout.keyId, new Uint8Array(layout.salt), info);
  return {
    async open(i: number, sealed: Uint8Array<ArrayBuffer>) {
      if (i < 0 || i >= layout.chunkCount) throw new ChunkError(`no chunk ${i}`);
      try {
        return new Uint8Array(
          await crypto.subtle.decrypt({ name: "AES-GCM", iv: nonce(i), additionalData: aad(layout, i) }, key, sealed),
        );
      } catch {
        throw new ChunkError(`chunk ${i} does not decrypt for this recording`);
      }
    },
  };
}
