import cluster, { type Worker } from "node:cluster";
import { type Part, partOf, summarize } from "./relay-stats";

/**
 * The benchmark server as RELAY_WORKERS processes sharing one port, as the relay runs on a machine
 * of several cores: this primary forks the workers (relay-server.ts again), tells the benchmark
 * the port and every pid (to pin them all), and answers for all of them: their frames, CPU and
 * memory summed with its own, their latencies merged.
 */
export async function runBenchPrimary(workers: number) {
  // Structured clone over IPC: each worker's latencies come as one typed array, not JSON.
  cluster.setupPrimary({ serialization: "advanced" });
  const forked: Worker[] = [];
  const ports = await Promise.all(
    Array.from({ length: workers }, () => {
      const w = cluster.fork();
      forked.push(w);
      w.on("exit", (code, signal) => {
        console.error(`bench worker exited (${signal ?? code})`);
        process.exit(1);
      });
      return new Promise<number>((resolve) => w.on("message", (m: { port?: number }) => m.port && resolve(m.port)));
    }),
  );
  let since = { cpu: process.cpuUsage(), at: performance.now() };
  const ask = (w: Worker) =>
    new Promise<Part>((resolve) => {
      const on = (m: { part?: Part }) => {
        if (!m.part) return;
        w.off("message", on);
        resolve(m.part);
      };
      w.on("message", on);
      w.send({ cmd: "stats" });
    });
  process.on("message", async (msg: { cmd: string }) => {
    if (msg.cmd === "reset") {
      for (const w of forked) w.send(msg);
      since = { cpu: process.cpuUsage(), at: performance.now() };
    }
    if (msg.cmd === "stats") {
      const parts = await Promise.all(forked.map(ask));
      process.send!(summarize([...parts, partOf(0, [], since)]));
    }
  });
  process.send!({ ready: true, port: ports[0], pids: [process.pid, ...forked.map((w) => w.process.pid)] });
}
