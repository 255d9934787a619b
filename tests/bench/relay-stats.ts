/** What one benchmark server process measured since the last reset. */
export type Part = { frames: number; latencies: Float64Array; cpuUs: number; ms: number; rssMb: number };

/** This process's part (all frames since it started; latencies and CPU since the reset). */
export function partOf(frames: number, latencies: number[], since: { cpu: NodeJS.CpuUsage; at: number }): Part {
  const used = process.cpuUsage(since.cpu);
  return {
    frames,
    latencies: Float64Array.from(latencies),
    cpuUs: used.user + used.system,
    ms: performance.now() - since.at,
    rssMb: process.memoryUsage().rss / 1e6,
  };
}

/**
 * The server's figures from the parts of all its processes (one, or a primary and its workers):
 * frames, CPU and memory summed, latencies merged before their percentiles are taken.
 */
export function summarize(parts: Part[]) {
  const all = new Float64Array(parts.reduce((n, p) => n + p.latencies.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p.latencies, at);
    at += p.latencies.length;
  }
  const sorted = all.sort();
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  const cpuUs = parts.reduce((n, p) => n + p.cpuUs, 0);
  const ms = Math.max(...parts.map((p) => p.ms));
  return {
    frames: parts.reduce((n, p) => n + p.frames, 0),
    measured: sorted.length,
    p50: q(0.5),
    p99: q(0.99),
    max: sorted[sorted.length - 1] ?? 0,
    cpuPercent: (cpuUs / 1000 / ms) * 100,
    cpuUs,
    rssMb: parts.reduce((n, p) => n + p.rssMb, 0),
  };
}
