import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

type AnyValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type OtlpSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  attributes?: { key: string; value: AnyValue }[];
  status?: { code?: number };
};
type Request = {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: AnyValue }[] };
    scopeSpans?: { scope?: { name?: string }; spans?: OtlpSpan[] }[];
  }[];
};

export type CollectedSpan = {
  service: string;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  error: boolean;
  attributes: Record<string, string | number | boolean>;
};

const plain = (v: AnyValue) =>
  v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined) ?? v.boolValue ?? v.doubleValue ?? "";
const attrs = (list: { key: string; value: AnyValue }[] = []) =>
  Object.fromEntries(list.map((a) => [a.key, plain(a.value)]));
// OTLP/JSON writes ids as hex; a base64 id (protobuf JSON mapping) is turned into hex too.
const hexId = (id: string) => (/^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, "base64").toString("hex"));

/**
 * An OpenTelemetry collector's OTLP/HTTP receiver, JSON encoding (POST /v1/traces,
 * ExportTraceServiceRequest): keeps every span it is sent, flattened, for tests to read.
 */
export async function startOtlpCollector() {
  const spans: CollectedSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/traces") return res.writeHead(404).end();
      if (!String(req.headers["content-type"]).startsWith("application/json")) return res.writeHead(415).end();
      let body = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") body = gunzipSync(body);
      const request = JSON.parse(String(body)) as Request;
      for (const rs of request.resourceSpans ?? []) {
        const service = String(attrs(rs.resource?.attributes)["service.name"] ?? "");
        for (const ss of rs.scopeSpans ?? [])
          for (const s of ss.spans ?? [])
            spans.push({
              service,
              scope: ss.scope?.name ?? "",
              traceId: hexId(s.traceId),
              spanId: hexId(s.spanId),
              parentSpanId: s.parentSpanId ? hexId(s.parentSpanId) : undefined,
              name: s.name,
              kind: s.kind,
              error: s.status?.code === 2,
              attributes: attrs(s.attributes),
            });
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    trace: (traceId: string) => spans.filter((s) => s.traceId === traceId),
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
