import { createHash, createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();

/**
 * Signature Version 4 as S3 checks it: the canonical request rebuilt from what arrived (path as
 * sent, sorted query, the signed headers), the payload hash checked against the body, and the
 * signature derived from the secret for the credential's date, region and service.
 */
function signatureProblem(req: IncomingMessage, body: Buffer, keys: Map<string, string>): string | null {
  const auth =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      req.headers.authorization ?? "",
    );
  if (!auth) return "AccessDenied";
  const [, keyId, date, region, signedHeaders, signature] = auth as unknown as string[];
  const secret = keys.get(keyId!);
  if (!secret) return "InvalidAccessKeyId";
  const payloadHash = String(req.headers["x-amz-content-sha256"] ?? "");
  if (payloadHash !== "UNSIGNED-PAYLOAD" && payloadHash !== sha256(body)) return "XAmzContentSHA256Mismatch";
  const [path, query = ""] = (req.url ?? "/").split("?");
  const canonicalQuery = query
    .split("&")
    .filter(Boolean)
    .map((p) => (p.includes("=") ? p : `${p}=`))
    .sort()
    .join("&");
  const names = signedHeaders!.split(";");
  const canonicalHeaders = names
    .map(
      (n) =>
        `${n}:${String(req.headers[n] ?? "")
          .trim()
          .replace(/\s+/g, " ")}\n`,
    )
    .join("");
  const canonicalRequest = [req.method, path, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join("\n");
  const amzDate = String(req.headers["x-amz-date"] ?? "");
  const stringToSign = [
    "AWS4-HMAC-SHA256",
    amzDate,
    `${date}/${region}/s3/aws4_request`,
    sha256(canonicalRequest),
  ].join("\n");
  const signingKey = ["s3", "aws4_request"].reduce<Buffer>(
    (k, part) => hmac(k, part),
    hmac(hmac(`AWS4${secret}`, date!), region!),
  );
  const expected = hmac(signingKey, stringToSign);
  return timingSafeEqual(expected, Buffer.from(signature!, "hex")) ? null : "SignatureDoesNotMatch";
}

/**
 * The S3 REST API's object calls (PutObject, GetObject with or without a Range, DeleteObject) on path-style URLs, reached
 * by the real `@aws-sdk/client-s3`. Requests must be signed (SigV4) with a known key; errors come
 * back as S3's XML error document.
 */
export async function startS3Fake(opts: { accessKeyId: string; secretAccessKey: string; bucket: string }) {
  const objects = new Map<string, { body: Buffer; contentType: string }>();
  const keys = new Map([[opts.accessKeyId, opts.secretAccessKey]]);
  const requests: { method: string; key: string }[] = [];
  /** Each GET answered: its key and how many bytes went out. */
  const served: { key: string; bytes: number }[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const requestId = randomUUID();
    const error = (status: number, code: string, message: string) =>
      res
        .writeHead(status, { "content-type": "application/xml", "x-amz-request-id": requestId })
        .end(
          `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`,
        );
    if (fake.unavailable) return error(503, "ServiceUnavailable", "Please reduce your request rate.");
    const problem = signatureProblem(req, body, keys);
    if (problem)
      return error(403, problem, "The request signature we calculated does not match the signature you provided.");
    const path = decodeURIComponent((req.url ?? "/").split("?")[0]!);
    const [, bucket, ...rest] = path.split("/");
    const key = rest.join("/");
    if (bucket !== opts.bucket) return error(404, "NoSuchBucket", "The specified bucket does not exist");
    if (!key) return error(400, "InvalidRequest", "This fake serves object operations only");
    requests.push({ method: req.method ?? "GET", key });
    if (req.method === "PUT") {
      if (req.headers["content-encoding"]?.includes("aws-chunked"))
        return error(501, "NotImplemented", "aws-chunked uploads are not supported here");
      objects.set(key, { body, contentType: String(req.headers["content-type"] ?? "binary/octet-stream") });
      return res
        .writeHead(200, { etag: `"${createHash("md5").update(body).digest("hex")}"`, "x-amz-request-id": requestId })
        .end();
    }
    if (req.method === "GET") {
      const o = objects.get(key);
      if (!o) return error(404, "NoSuchKey", "The specified key does not exist.");
      // GetObject's Range (one range only; past the end is InvalidRange, 416), answered 206 with
      // Content-Range: https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax
      const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ""));
      if (range) {
        const start = Number(range[1]);
        const end = Math.min(o.body.length - 1, range[2] ? Number(range[2]) : o.body.length - 1);
        if (start >= o.body.length) return error(416, "InvalidRange", "The requested range is not satisfiable");
        const part = o.body.subarray(start, end + 1);
        served.push({ key, bytes: part.length });
        return res
          .writeHead(206, {
            "content-type": o.contentType,
            "content-length": part.length,
            "content-range": `bytes ${start}-${end}/${o.body.length}`,
            "x-amz-request-id": requestId,
          })
          .end(part);
      }
      served.push({ key, bytes: o.body.length });
      return res
        .writeHead(200, {
          "content-type": o.contentType,
          "content-length": o.body.length,
          "x-amz-request-id": requestId,
        })
        .end(o.body);
    }
    if (req.method === "DELETE") {
      objects.delete(key);
      return res.writeHead(204, { "x-amz-request-id": requestId }).end();
    }
    return error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const fake = {
    /** While true every request gets 503, as during an outage. */
    unavailable: false,
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    objects,
    requests,
    served,
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  return fake;
}
