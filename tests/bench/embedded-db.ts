import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import pg from "pg";
import { serveSession } from "../../db/embedded-server";

/**
 * The embedded database under several processes' worth of clients (docs/decisions/0029):
 * `BENCH_CLIENTS` pools of 2 connections each run `BENCH_ROUNDS` rounds of one parameterised
 * query and one small transaction (as withTenant runs them), against PGlite in the same process
 * (no wire: the ceiling), behind pglite-socket (per-message interleaving), and behind
 * db/embedded-server.ts (one client per transaction). Prints throughput, latency and how many
 * answers were someone else's.
 */
const clients = Number(process.env.BENCH_CLIENTS ?? 6);
const rounds = Number(process.env.BENCH_ROUNDS ?? 100);
type Run = (tag: string) => Promise<boolean>;

async function measure(name: string, makeRunners: () => Run[]) {
  const runners = makeRunners();
  const latencies: number[] = [];
  let wrong = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    runners.map(async (run, c) => {
      for (let i = 0; i < rounds; i++) {
        const t = performance.now();
        try {
          if (!(await run(`${c}-${i}`))) wrong++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
  console.log(
    `| ${name} | ${clients} | ${Math.round(latencies.length / seconds)} | ${pct(50)} | ${pct(99)} | ${wrong} | ${errors} |`,
  );
}

const round =
  (
    query: (text: string, values?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>,
    transaction: <T>(fn: (q: typeof query) => Promise<T>) => Promise<T>,
  ): Run =>
  async (tag) => {
    const a = await query("select $1::text as v", [tag]);
    const b = await transaction(async (q) => {
      await q("select set_config('app.tenant_id', $1, true)", [tag]);
      return q("select current_setting('app.tenant_id', true) as v");
    });
    return a.rows[0]?.v === tag && b.rows[0]?.v === tag;
  };

function poolRunners(url: string) {
  const pools = Array.from({ length: clients }, () => new pg.Pool({ connectionString: url, max: 2 }));
  // pglite-socket can hand an idle connection another client's error: counted, not fatal.
  for (const p of pools) p.on("error", () => {});
  return {
    end: () => Promise.all(pools.map((p) => p.end())),
    runners: pools.map((p) =>
      round(
        (text, values) => p.query(text, values),
        async (fn) => {
          const c = await p.connect();
          try {
            await c.query("begin");
            const r = await fn((text, values) => c.query(text, values));
            await c.query("commit");
            return r;
          } catch (err) {
            await c.query("rollback").catch(() => {});
            throw err;
          } finally {
            c.release();
          }
        },
      ),
    ),
  };
}

console.log(
  "| server | clients | rounds/s | p50 ms | p99 ms | wrong answers | errors |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
);
{
  const db = await PGlite.create("memory://");
  await measure("PGlite in this process (no wire)", () =>
    Array.from({ length: clients }, () =>
      round(
        (text, values) => db.query(text, values),
        (fn) => db.transaction((tx) => fn((text, values) => tx.query(text, values))),
      ),
    ),
  );
  await db.close();
}
{
  const db = await PGlite.create("memory://");
  const server = new PGLiteSocketServer({ db, port: 0, host: "127.0.0.1", maxConnections: 64 });
  await server.start();
  const { port } = server as unknown as { port: number };
  const p = poolRunners(`postgres://postgres@127.0.0.1:${port}/postgres`);
  await measure("pglite-socket (before)", () => p.runners);
  await p.end();
  await server.stop();
  await db.close();
}
{
  const db = await PGlite.create("memory://");
  const server = await serveSession(db, { port: 0 });
  const p = poolRunners(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
  await measure("db/embedded-server.ts (after)", () => p.runners);
  await p.end();
  await server.close();
  await db.close();
}
