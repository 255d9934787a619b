import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/**
 * The embedded default: one PGlite database served over the Postgres wire protocol, so every
 * process of the dev stack (and the edge, through the WebSocket proxy) shares it.
 */
export async function startEmbeddedPostgres(opts: { dataDir?: string; port: number }) {
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const db = await PGlite.create(opts.dataDir ?? "memory://");
  const server = new PGLiteSocketServer({ db, port: opts.port, host: "127.0.0.1", maxConnections: 32 });
  await server.start();
  return {
    url: `postgres://postgres@127.0.0.1:${opts.port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
