import cluster, { type Worker } from "node:cluster";
import pg from "pg";
import type { RelayConfig } from "../core/config";
import { workersMetrics } from "../core/telemetry/cluster-metrics";
import { startOpsServer } from "../core/telemetry/health";
import { createLogger, fieldLogger } from "../core/telemetry/logger";
import { installProcessPolicy } from "../core/telemetry/process-policy";
import { type ToPrimary, workerLedger } from "./cluster-ipc";

/**
 * The relay's primary when it runs several workers (docs/decisions/0037): it forks them (they
 * share RELAY_PORT), replaces one that dies, counts call slots for all of them, serves the
 * operations port (one scrape, every worker's metrics) and, on SIGTERM, lets each drain. It
 * carries no call and runs no query but the readiness check's `select 1`.
 */
export async function runPrimary(config: RelayConfig, count: number, env: Record<string, string>) {
  const logger = createLogger("relay", { level: config.LOG_LEVEL });
  installProcessPolicy(logger);
  const log = fieldLogger(logger);
  const ledger = workerLedger(config.RELAY_MAX_CALLS_PER_TENANT);
  const workers = new Map<Worker, number>(); // each worker and its number, 1…count
  const listening = new Set<Worker>();
  let stopping = false;
  let forced = false;

  const fork = (number: number) => {
    const started = Date.now();
    const w = cluster.fork({ ...env, RELAY_WORKER_NUMBER: String(number) });
    workers.set(w, number);
    w.on("listening", () => listening.add(w));
    w.on("message", (m: ToPrimary) =>
      ledger.onMessage(w, m).catch((err) => log({ level: "error", msg: "worker message failed", err: String(err) })),
    );
    w.on("exit", (code, signal) => {
      workers.delete(w);
      listening.delete(w);
      void ledger.gone(w);
      if (stopping) {
        if (!workers.size) void stopped();
        return;
      }
      log({
        level: "error",
        msg: "relay worker died: its calls are lost; forking its replacement",
        number,
        code,
        signal,
      });
      // One that dies as it starts is not forked again in a tight loop.
      setTimeout(() => fork(number), Date.now() - started < 5000 ? 1000 : 0);
    });
  };
  for (let n = 1; n <= count; n++) fork(n);

  const db = new pg.Pool({ connectionString: config.DATABASE_URL, max: 1, connectionTimeoutMillis: 5000 });
  db.on("error", (err) => log({ level: "warn", msg: "readiness connection lost", err: err.message }));
  const ops = config.OPS_PORT
    ? await startOpsServer({
        port: config.OPS_PORT,
        service: "relay",
        checks: {
          database: () => db.query("select 1"),
          workers: async () => {
            if (listening.size < count) throw new Error(`${listening.size} of ${count} workers listening`);
          },
        },
        draining: () => stopping,
        metrics: workersMetrics(),
        status: () => {
          const each = [...workers].map(([w, number]) => ({ number, pid: w.process.pid, calls: ledger.calls(w) }));
          return {
            calls: each.reduce((sum, w) => sum + w.calls, 0),
            workers: each.sort((a, b) => a.number - b.number),
          };
        },
      })
    : undefined;
  log({ msg: "relay primary started", workers: count, opsPort: config.OPS_PORT || undefined });

  async function stopped() {
    ops?.close();
    await db.end().catch(() => {});
    process.exit(forced ? 1 : 0);
  }
  function shutdown() {
    if (stopping) return;
    stopping = true;
    log({ msg: "draining workers", workers: workers.size, deadlineSeconds: config.RELAY_DRAIN_SECONDS });
    for (const w of workers.keys()) w.process.kill("SIGTERM");
    // Each closes its remaining calls at the deadline; one that has not exited well after it is stopped.
    const late = setTimeout(
      () => {
        forced = true;
        for (const w of workers.keys()) w.process.kill("SIGKILL");
      },
      (config.RELAY_DRAIN_SECONDS + 15) * 1000,
    );
    late.unref();
    if (!workers.size) void stopped();
  }
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}
