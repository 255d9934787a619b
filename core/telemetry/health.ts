import { createServer, type Server } from "node:http";
import { registry } from "./metrics";
import { type ReadinessChecks, readiness } from "./readiness";

export type { ReadinessChecks };

/**
 * The process's operations port (not public): `/health` (alive: the event loop answers),
 * `/ready` (its dependencies answer: take traffic) and `/metrics` (Prometheus text).
 */
export function startOpsServer(opts: {
  port: number;
  host?: string;
  service: string;
  checks: ReadinessChecks;
  draining?: () => boolean;
  /** The Prometheus text to serve; default: this process's registry (a cluster's primary gathers its workers'). */
  metrics?: () => Promise<string>;
  /** Fields added to `/ready`'s answer (a cluster's primary: its workers). */
  status?: () => Record<string, unknown>;
}): Promise<Server> {
  const server = createServer(async (req, res) => {
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.url === "/health") return json(200, { status: "ok", service: opts.service });
    if (req.url === "/ready") {
      if (opts.draining?.()) return json(503, { status: "draining", service: opts.service, ...opts.status?.() });
      const { ready, body } = await readiness(opts.checks);
      return json(ready ? 200 : 503, { ...body, service: opts.service, ...opts.status?.() });
    }
    if (req.url === "/metrics") {
      const text = await (opts.metrics ?? (() => registry.metrics()))().catch((err: Error) => err);
      if (text instanceof Error) return json(503, { status: "metrics_unavailable", err: text.message });
      return res.writeHead(200, { "content-type": registry.contentType }).end(text);
    }
    json(404, { status: "not_found" });
  });
  return new Promise((resolve) => server.listen(opts.port, opts.host ?? "0.0.0.0", () => resolve(server)));
}
