import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DATABASE_RETRY_AFTER_SECONDS } from "../../db/connection-errors";
import { startFaultProxy } from "../support/fault-proxy";
import { configurePortal, cookieFrom } from "../support/portal";
import { seedTenant, seedUser } from "../support/seed";
import { eventually } from "../support/wait";

/**
 * The whole way a browser's request goes: Remix (its Vite build of the routes, as `npm run dev`
 * serves them, guarded as app/server/main.ts guards them), the page's loaders, the error boundary.
 * While the database is away a page says so, with a 503 and Retry-After; a malformed id is a 404.
 */
let pg: Awaited<ReturnType<typeof startFaultProxy>>;
let portal: Awaited<ReturnType<typeof configurePortal>>;
let vite: import("vite").ViteDevServer;
let cacheDir: string;
let handle: (request: Request) => Promise<Response>;
let cookie: string;
let agentId: string;

beforeAll(async () => {
  const url = new URL(inject("appUrl"));
  pg = await startFaultProxy({ host: url.hostname, port: Number(url.port || 5432) });
  url.host = `127.0.0.1:${pg.port}`;
  portal = await configurePortal({ appUrl: url.toString() });
  const { buildAnsweringUnavailable } = await import("../../app/server/unavailable");
  cacheDir = await mkdtemp(join(tmpdir(), "bvrai-vite-"));
  vite = await (await import("vite")).createServer({
    cacheDir,
    server: { middlewareMode: true, hmr: false },
    logLevel: "warn",
  });
  const remix = createRequestHandler(
    buildAnsweringUnavailable((await vite.ssrLoadModule("virtual:remix/server-build")) as ServerBuild),
    "production",
  );
  handle = (request) => remix(request, { cspNonce: "" });
  const session = (await vite.ssrLoadModule(
    "/app/utils/session.server.ts",
  )) as typeof import("../../app/utils/session.server");
  const t = await seedTenant(inject("ownerUrl"));
  const owner = await seedUser(inject("ownerUrl"), { tenantId: t.tenantId, role: "owner" });
  cookie = cookieFrom(await session.createSession(owner.id, t.tenantId));
  agentId = t.agentId;
}, 120_000);
afterAll(async () => {
  pg?.pass();
  await vite?.close();
  await (globalThis as { __bvraiDb?: { $pool: { end: () => Promise<void> } } }).__bvraiDb?.$pool.end();
  await pg?.stop();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  portal?.restore();
});

const page = async (path: string) => {
  const res = await handle(
    new Request(`http://portal.test${path}`, { headers: { cookie, "x-request-id": crypto.randomUUID() } }),
  );
  const text = (await res.text())
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");
  return { status: res.status, retryAfter: res.headers.get("retry-after"), text };
};

describe("a portal page", () => {
  it("opens; with a malformed id or one that names nothing it is a 404 page", async () => {
    expect((await page(`/agents/${agentId}`)).status).toBe(200);
    for (const id of ["not-a-uuid", `${agentId}x`, crypto.randomUUID()]) {
      const missing = await page(`/agents/${encodeURIComponent(id)}`);
      expect(missing.status).toBe(404);
      expect(missing.text).toContain("404: Agent not found");
    }
  });

  it("with the database away is a 503 page saying it is briefly unavailable, with Retry-After; then opens again", async () => {
    try {
      pg.down();
      const [document, data] = [await page(`/agents/${agentId}`), await page(`/agents/${agentId}.data`)];
      pg.pass();
      expect(document).toMatchObject({ status: 503, retryAfter: String(DATABASE_RETRY_AFTER_SECONDS) });
      expect(document.text).toContain("Briefly unavailable");
      expect(document.text).toContain("The service is briefly unavailable; try again in a few seconds.");
      // A navigation in the browser (single fetch) gets the same answer for its error boundary.
      expect(data.status).toBe(503);
      expect(data.text).toContain("briefly unavailable");
    } finally {
      pg.pass();
    }
    await eventually(async () => (await page(`/agents/${agentId}`)).status === 200, 10_000, "the page to open again");
  });
});
