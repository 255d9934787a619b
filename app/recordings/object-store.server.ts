import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";

/** Bytes by key. Keys are ours (tenant/call/recording ids), never a user's input. */
export type ObjectStore = {
  /** `s3` or `folder`, for logs and the portal's labels. */
  kind: "s3" | "folder";
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** null when there is no such object. */
  get(key: string): Promise<Uint8Array<ArrayBuffer> | null>;
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
export function s3Store(opts: { bucket: string; endpoint?: string; region: string; accessKeyId: string; secretAccessKey: string }): ObjectStore {
  const client = new S3Client({
    region: opts.region,
    endpoint: opts.endpoint,
    forcePathStyle: Boolean(opts.endpoint),
    credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
    // R2 and other S3-compatible stores reject the newer default checksums on every request.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 3,
  });
  return {
    kind: "s3",
    async put(key, bytes, contentType) {
      await client.send(new PutObjectCommand({ Bucket: opts.bucket, Key: key, Body: bytes, ContentType: contentType }));
    },
    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: opts.bucket, Key: key }));
        return new Uint8Array(out.Body ? await out.Body.transformToByteArray() : []);
      } catch (err) {
        if (err instanceof NoSuchKey) return null;
        throw err;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: opts.bucket, Key: key }));
    },
  };
}

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
    async delete(key) {
      await rm(path(key), { force: true });
    },
  };
}
