import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { serviceLogger } from "../core/telemetry";
import { context, failSpan, SpanKind, tracer, tracingExported } from "../core/telemetry/tracing";
import { isConnectionError } from "./connection-errors";
import * as schema from "./schema";
import type { Db } from "./tenant";

export type NodeDb = Db & { $pool: pg.Pool };

/** The Node runtimes' database (portal, relay, jobs): a pooled node-postgres connection. */
export function createNodeDb(url: string, opts: { max?: number; localRole?: string } = {}): NodeDb {
  // A database that does not answer (a blackhole, not a refusal) fails a checkout in 5 s instead of never.
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: 5000,
    keepAlive: true,
  });
  // Postgres drops idle clients on restart; without a listener that error would crash the process.
  pool.on("error", (err) => serviceLogger("db").error({ err }, "pg pool"));
  // pg-pool listens for errors only on idle clients: a connection lost between two statements of a
  // transaction would otherwise be an uncaught exception. Its next statement fails, and the pool drops it.
  pool.on("connect", (client) => client.on("error", (err) => serviceLogger("db").warn({ err }, "pg connection lost")));
  if (tracingExported()) pool.on("connect", traceQueries);
  const db = drizzle(pool, { schema }) as unknown as NodeDb;
  db.$pool = pool;
  // Drizzle's pooled transaction opens with BEGIN before its try/finally: a BEGIN that fails (the
  // database just went away) never hands its connection back, and an outage drains the pool for
  // good. Here the connection is ours to release, and one that broke is destroyed, not reused.
  db.transaction = (async (fn: Parameters<NodeDb["transaction"]>[0], config?: Parameters<NodeDb["transaction"]>[1]) => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      return await drizzle(client).transaction(fn as never, config);
    } catch (err) {
      if (isConnectionError(err)) broken = err as Error;
      throw err;
    } finally {
      client.release(broken);
    }
  }) as NodeDb["transaction"];
  if (opts.localRole) db.$localRole = opts.localRole;
  return db;
}

type QueryArgs = [string | { text: string }, ...unknown[]];

/** A span per statement (its text only: parameters may be personal data), child of the active span. */
function traceQueries(client: pg.PoolClient) {
  const query = client.query.bind(client) as (...args: QueryArgs) => unknown;
  (client as { query: unknown }).query = (...args: QueryArgs) => {
    const text = typeof args[0] === "string" ? args[0] : (args[0]?.text ?? "");
    const span = tracer("db").startSpan(
      `db ${text.trimStart().split(/\s/, 1)[0]?.toUpperCase() ?? "QUERY"}`,
      {
        kind: SpanKind.CLIENT,
        attributes: { "db.system": "postgresql", "db.query.text": text.slice(0, 1000) },
      },
      context.active(),
    );
    const last = args[args.length - 1];
    if (typeof last === "function") {
      args[args.length - 1] = (err: Error | null, res: unknown) => {
        if (err) failSpan(span, err);
        span.end();
        (last as (e: Error | null, r: unknown) => void)(err, res);
      };
      return query(...args);
    }
    const result = query(...args) as Promise<unknown> | undefined;
    if (!result?.then) {
      span.end();
      return result;
    }
    return result.then(
      (r) => {
        span.end();
        return r;
      },
      (err) => {
        failSpan(span, err);
        span.end();
        throw err;
      },
    );
  };
}
