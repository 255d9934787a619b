import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

export type SentryEvent = {
  event_id?: string;
  level?: string;
  tags?: Record<string, string>;
  exception?: { values?: { type?: string; value?: string }[] };
  [k: string]: unknown;
};

/**
 * Sentry's ingest endpoint (POST /api/{project}/envelope/): an envelope is newline-separated JSON,
 * a header, then item headers each followed by its payload. Checks the DSN's public key in
 * X-Sentry-Auth (or the query) and keeps the error events.
 */
export async function startSentryIngest() {
  const publicKey = crypto.randomUUID().replace(/-/g, "");
  const events: SentryEvent[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://sentry");
      if (req.method !== "POST" || !/^\/api\/\d+\/envelope\/$/.test(url.pathname)) return res.writeHead(404).end();
      const auth = String(req.headers["x-sentry-auth"] ?? "");
      if (!auth.includes(`sentry_key=${publicKey}`) && url.searchParams.get("sentry_key") !== publicKey)
        return res.writeHead(401).end();
      let body = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") body = gunzipSync(body);
      const lines = String(body).split("\n").filter(Boolean);
      for (let i = 1; i + 1 < lines.length; i += 2) {
        const item = JSON.parse(lines[i]!) as { type?: string };
        if (item.type === "event") events.push(JSON.parse(lines[i + 1]!));
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    dsn: `http://${publicKey}@127.0.0.1:${port}/42`,
    events,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
