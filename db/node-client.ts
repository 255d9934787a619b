import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "./schema";
import type { Db } from "./tenant";

export type NodeDb = Db & { $pool: pg.Pool };

/** The Node runtimes' database (portal, relay, jobs): a pooled node-postgres connection. */
export function createNodeDb(url: string, opts: { max?: number; localRole?: string } = {}): NodeDb {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  // Postgres drops idle clients on restart; without a listener that error would crash the process.
  pool.on("error", (err) => console.error(JSON.stringify({ level: "error", msg: "pg pool", err: err.message })));
  const db = drizzle(pool, { schema }) as unknown as NodeDb;
  db.$pool = pool;
  if (opts.localRole) db.$localRole = opts.localRole;
  return db;
}
