import { neonConfig, Pool } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-serverless";
import * as schema from "./schema";
import type { Db } from "./tenant";

export type EdgeDbOptions = {
  /** host:port of a local WebSocket→TCP proxy (dev and tests); unset in production (Neon's own). */
  wsProxy?: string;
  localRole?: string;
};

/**
 * The edge's database: the Neon serverless driver over WebSockets. Workers must not reuse a
 * socket across requests, so build one per request and `end()` it when the request is done.
 */
export function createEdgeDb(url: string, opts: EdgeDbOptions = {}) {
  if (opts.wsProxy) {
    const proxy = opts.wsProxy;
    neonConfig.wsProxy = (host, port) => `${proxy}/v1?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineConnect = false;
    neonConfig.pipelineTLS = false;
    neonConfig.coalesceWrites = false;
  }
  const pool = new Pool({ connectionString: url, max: 1 });
  const db = drizzle(pool, { schema }) as unknown as Db;
  if (opts.localRole) db.$localRole = opts.localRole;
  return { db, end: () => pool.end() };
}
