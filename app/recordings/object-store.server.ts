import { mkdir, open, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { agentLimits } from "../../core/agents/agent-input";

/** Bytes by key. Keys are ours (tenant/call/recording ids), never a user's input. */
export type ObjectStore = {
  /** `s3` or `folder`, for logs and the portal's labels. */
  kind: "s3" | "folder";
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** null when there is no such object. */
  get(key: string): Promise<Uint8Array<ArrayBuffer> | null>;
  /** Bytes [start, end) of an object (fewer past its end); null when there is no such object. */
  getRange(key: string, start: number, end: number): Promise<Uint8Array<ArrayBuffer> | null>;
  /** Deleting what is already gone succeeds (a retried sweep). */
  delete(key: string): Promise<void>;
};

export type ObjectStoreConfig = {
  RECORDINGS_S3_BUCKET?: string;
  RECORDINGS_S3_ENDPOINT?: string;
  RECORDINGS_S3_REGION: string;
  RECORDINGS_S3_ACCESS_KEY_ID?: string;
  RECORDINGS_S3_SECRET_ACCESS_KEY?: string;
  RECORDINGS_DIR: string;
};

export function objectStoreFrom(config: ObjectStoreConfig): ObjectStore {
  if (!config.RECORDINGS_S3_BUCKET) return folderStore(config.RECORDINGS_DIR);
  return s3Store({
    bucket: config.RECORDINGS_S3_BUCKET,
    endpoint: config.RECORDINGS_S3_ENDPOINT,
    region: config.RECORDINGS_S3_REGION,
    accessKeyId: config.RECORDINGS_S3_ACCESS_KEY_ID!,
    secretAccessKey: config.RECORDINGS_S3_SECRET_ACCESS_KEY!,
  });
}

/** S3 or R2 through the official client. Path-style when an endpoint is given (R2, MinIO, tests). */
export function s3Store(opts: {
  bucket: string;
  endpoint?: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}): ObjectStore {
  const client = new S3Client({
    region: opts.region,
    endpoint: opts.endpoint,
    forcePathStyle: Boolean(opts.endpoint),
    credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
    // R2 and other S3-compatible stores reject the newer default checksums on every request.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 3,
    // Connect within 5 s and never 30 s without a byte; each call below also has a total deadline.
    requestHandler: { connectionTimeout: 5000, requestTimeout: 30_000 },
  });
  const read = async (key: string, range?: { start: number; end: number }) => {
    try {
      const Range = range && `bytes=${range.start}-${range.end - 1}`;
      const most = range ? range.end - range.start : MAX_OBJECT_BYTES;
      const out = await client.send(new GetObjectCommand({ Bucket: opts.bucket, Key: key, Range }), {
        abortSignal: deadline(most),
      });
      if ((out.ContentLength ?? 0) > most) throw new Error(`the store answered ${out.ContentLength} bytes for ${most}`);
      return new Uint8Array(out.Body ? await out.Body.transformToByteArray() : []);
    } catch (err) {
      if (err instanceof NoSuchKey) return null;
      throw err;
    }
  };
  return {
    kind: "s3",
    async put(key, bytes, contentType) {
      await client.send(
        new PutObjectCommand({ Bucket: opts.bucket, Key: key, Body: bytes, ContentType: contentType }),
        { abortSignal: deadline(bytes.length) },
      );
    },
    get: (key) => read(key),
    getRange: (key, start, end) => read(key, { start, end }),
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: opts.bucket, Key: key }), { abortSignal: deadline(0) });
    },
  };
}

/** The largest object we write: a longest-allowed (4-hour), two-channel, 8 kHz, 16-bit recording, sealed. */
const MAX_OBJECT_BYTES = agentLimits.maxDurationSeconds.max * 32_000 + 1_000_000;
/** Our own bucket is trusted with size, not with time: 10 s plus a second per MB moved. */
const deadline = (bytes: number) => AbortSignal.timeout(10_000 + Math.ceil(bytes / 1_000_000) * 1000);

/** A folder on this machine (development). Keys map to paths under it, never outside. */
export function folderStore(dir: string): ObjectStore {
  const root = resolve(dir);
  const path = (key: string) => {
    const p = resolve(join(root, key));
    if (!p.startsWith(root + sep)) throw new Error(`object key escapes the store: ${key}`);
    return p;
  };
  return {
    kind: "folder",
    async put(key, bytes) {
      await mkdir(dirname(path(key)), { recursive: true });
      await writeFile(path(key), bytes);
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(path(key)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw err;
      }
    },
    async getRange(key, start, end) {
      const file = await open(path(key)).catch((err: NodeJS.ErrnoException) => {
        if (err.code === "ENOENT") return null;
        throw err;
      });
      if (!file) return null;
      try {
        const out = new Uint8Array(Math.max(0, end - start));
        const { bytesRead } = await file.read(out, 0, out.length, start);
        return out.slice(0, bytesRead);
      } finally {
        await file.close();
      }
    },
    async delete(key) {
      await rm(path(key), { force: true });
    },
  };
}
