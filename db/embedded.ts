import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { type SessionServerOptions, serveSession } from "./embedded-server";

/**
 * The embedded default: one PGlite database served over the Postgres wire protocol, so every
 * process of the dev stack (and the edge, through the WebSocket proxy) shares it, one
 * transaction at a time (db/embedded-server.ts, docs/decisions/0029).
 */
export async function startEmbeddedPostgres(
  opts: { dataDir?: string; port: number } & Pick<SessionServerOptions, "log">,
) {
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const db = await PGlite.create(opts.dataDir ?? "memory://");
  const server = await serveSession(db, { port: opts.port, log: opts.log });
  return {
    url: `postgres://postgres@127.0.0.1:${server.port}/postgres`,
    stats: server.stats,
    async stop() {
      await server.close();
      await db.close();
    },
  };
}
