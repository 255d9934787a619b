import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { serveStatic } from "@hono/node-server/serve-static";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { loadWebConfig } from "../../core/config";
import { ORIGIN_MAX_HEADER_BYTES } from "../../core/edge/limits";
import { startTelemetry } from "../../core/telemetry";
import { startOpsServer } from "../../core/telemetry/health";
import { installProcessPolicy } from "../../core/telemetry/process-policy";
import { flushSentry } from "../../core/telemetry/sentry";
import { createApi } from "../api/app";
import { provideServices } from "../services/current.server";
import { apiServicesOf, buildWebServices } from "../services/web.server";
import { createWebApp } from "./app";
import { buildAnsweringUnavailable } from "./unavailable";

/** `npm run start:web` (production build) and the portal process `npm run dev` starts (Vite). */
const config = loadWebConfig(process.env);
const { logger } = startTelemetry("web", config);
installProcessPolicy(logger);
const production = config.NODE_ENV === "production";
// Built once, before the routes load: the portal's routes (provideServices) and the API share them.
const services = buildWebServices(config);
provideServices(services);
// The edge keeps what it forwards within this (core/edge/limits.ts): Node's default, stated so the two stay in step.
const server = createServer({ maxHeaderSize: ORIGIN_MAX_HEADER_BYTES });

const vite = production
  ? undefined
  : await import("vite").then((v) => v.createServer({ server: { middlewareMode: true, hmr: { server } } }));
const build = vite
  ? () => (vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>).then(buildAnsweringUnavailable)
  : buildAnsweringUnavailable(
      (await import(new URL("../../build/server/index.js", import.meta.url).href)) as ServerBuild,
    );
const handle = createRequestHandler(build, production ? "production" : "development");

const api = createApi(apiServicesOf(services));
const app = createWebApp({
  api,
  production,
  relayUrl: config.RELAY_PUBLIC_URL,
  edgeSecret: config.EDGE_ORIGIN_SECRET,
  edgeSignatureV1Until: config.EDGE_SIGNATURE_V1_UNTIL,
  handle: (request, context) => handle(request, context),
  // Behind the edge (signature checked first), the address the edge saw; else the configured proxy header or the socket.
  clientIp: (c) =>
    (config.EDGE_ORIGIN_SECRET && c.req.header("x-bvrai-client-ip")) ||
    (config.TRUSTED_IP_HEADER && c.req.header(config.TRUSTED_IP_HEADER)?.split(",")[0]?.trim()) ||
    getConnInfo(c).remote.address ||
    "unknown",
  assets: production ? serveStatic({ root: "./build/client" }) : undefined,
});
const listener = getRequestListener(app.fetch);
server.on("request", (req, res) => (vite ? vite.middlewares(req, res, () => listener(req, res)) : listener(req, res)));
server.listen(config.PORT, process.env.HOST ?? "127.0.0.1", () => {
  logger.info({ port: config.PORT, mode: production ? "production" : "development (Vite)" }, "portal listening");
});
let draining = false;
const ops = config.OPS_PORT
  ? await startOpsServer({
      port: config.OPS_PORT,
      service: "web",
      checks: { database: () => services.db.$pool.query("select 1") },
      draining: () => draining,
    })
  : undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    draining = true;
    server.close();
    ops?.close();
    void flushSentry();
    void vite?.close();
    setTimeout(() => process.exit(0), 500).unref();
  });
}
