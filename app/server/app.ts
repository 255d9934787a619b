import type { AppLoadContext } from "@remix-run/node";
import { Hono, type MiddlewareHandler } from "hono";
import type { SecureHeadersVariables } from "hono/secure-headers";
import { referenceCss, referenceHtml, referenceJs } from "../api/reference";
import { CLIENT_IP_HEADER } from "../utils/request.server";
import { edgeOnly } from "./edge-only";
import { observe } from "./observe";
import { sameOriginWrites, securityHeaders } from "./security";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** This response's CSP nonce: every script the server renders carries it. */
    cspNonce: string;
  }
}

const unsendable = new Set(["CONNECT", "TRACE", "TRACK"]);

export type RemixHandler = (request: Request, context: AppLoadContext) => Promise<Response>;
type Env = { Variables: SecureHeadersVariables };

/**
 * The portal's Node server: security headers and the cross-site check in front of Remix. Our own
 * client-IP header is always overwritten, so a caller cannot choose the IP we throttle and audit.
 */
export function createWebApp(opts: {
  production: boolean;
  handle: RemixHandler;
  clientIp: (c: Parameters<MiddlewareHandler>[0]) => string;
  assets?: MiddlewareHandler;
  /** The public REST API, mounted at /api/v1 (app/api). */
  api?: { fetch: (request: Request) => Response | Promise<Response> };
  /** Set (always in production): only requests the edge signed are served (docs/decisions/0017). */
  edgeSecret?: string;
  /** Until then the edge's older signature is taken too, while a deploy rolls out (docs/decisions/0023). */
  edgeSignatureV1Until?: Date;
  /** The relay's public URL: browser test calls connect to it (CSP connect-src). */
  relayUrl?: string;
}) {
  const app = new Hono<Env>();
  // Methods the fetch standard forbids cannot become a Request: refused before anything builds one (a 500 otherwise).
  app.use(async (c, next) =>
    unsendable.has(c.req.method)
      ? c.text("Method Not Allowed", 405, { allow: "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS" })
      : next(),
  );
  app.use(observe());
  if (opts.edgeSecret) app.use(edgeOnly(opts.edgeSecret, { v1Until: opts.edgeSignatureV1Until }));
  app.use(securityHeaders({ production: opts.production, relayUrl: opts.relayUrl }));
  if (opts.assets) app.use("/assets/*", opts.assets);
  app.use(sameOriginWrites({ exempt: ["/api/"] }));
  // The API's interactive reference: served here, where the response's CSP nonce is known.
  app.get("/api/v1/reference", (c) => c.html(referenceHtml(c.get("secureHeadersNonce") ?? "")));
  app.get("/api/v1/reference.js", (c) =>
    c.body(referenceJs, 200, { "content-type": "text/javascript; charset=utf-8" }),
  );
  app.get("/api/v1/reference.css", (c) => c.body(referenceCss, 200, { "content-type": "text/css; charset=utf-8" }));
  // Mounted: the API sees paths without the /api/v1 prefix, as its OpenAPI document lists them.
  if (opts.api) app.mount("/api/v1", opts.api.fetch);
  app.all("*", (c) => {
    const request = c.req.raw;
    request.headers.set(CLIENT_IP_HEADER, opts.clientIp(c));
    return opts.handle(request, { cspNonce: c.get("secureHeadersNonce") ?? "" });
  });
  return app;
}
