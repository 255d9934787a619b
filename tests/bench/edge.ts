import { fork } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "@upstash/redis";
import { unstable_startWorker } from "wrangler";
import { generatePiiKey } from "../../core/crypto/pii";
import { startWsProxy } from "../../db/ws-proxy";
import { freshDatabase } from "../support/databases";

/**
 * `npm run bench:edge`: requests/s and p50/p99 latency through the edge worker (workerd) to a
 * bare origin, with the front door's limiter on and off, in one run, plus the origin alone as the
 * floor. Goal (issue 8): the limiter adds at most one Redis round trip per request (counted at the
 * Upstash REST endpoint) and under 15 % to p50 on loopback. Rounds alternate off/on so drift on a
 * noisy machine hits both alike.
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);

const { appUrl } = await freshDatabase("bvrai_bench_edge");
const origin = createServer((_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("ok"));
await new Promise<void>((r) => origin.listen(0, "127.0.0.1", r));
const originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
const proxy = await startWsProxy(0);
const upstashToken = `bench-${crypto.randomUUID()}`;
const upstashChild = fork(
  new URL("./upstash-server.ts", import.meta.url).pathname,
  [process.env.REDIS_URL ?? "redis://127.0.0.1:6379", upstashToken],
  { execArgv: ["--import", "tsx"], stdio: ["ignore", "ignore", "inherit", "ipc"] },
);
const upstashUrl = await new Promise<string>((resolve) =>
  upstashChild.once("message", (m: { url: string }) => resolve(m.url)),
);
const roundTrips = () =>
  new Promise<number>((resolve) => {
    upstashChild.once("message", (m: { roundTrips: number }) => resolve(m.roundTrips));
    upstashChild.send({ cmd: "count" });
  });

async function worker(limits: "on" | "off") {
  const bindings: Record<string, string> = {
    DATABASE_URL: appUrl,
    NEON_WS_PROXY: `127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    RELAY_PUBLIC_URL: "ws://127.0.0.1:9",
    ORIGIN_URL: originUrl,
    EDGE_ORIGIN_SECRET: `bench-origin-${crypto.randomUUID()}`,
    RATE_LIMITS: limits,
    RATE_LIMIT_PORTAL_PER_IP_PER_MINUTE: "1000000000",
    UPSTASH_REDIS_REST_URL: upstashUrl,
    UPSTASH_REDIS_REST_TOKEN: upstashToken,
    STREAM_TOKEN_SECRET: crypto.randomUUID(),
    TWILIO_AUTH_TOKEN: crypto.randomUUID(),
    STRIPE_WEBHOOK_SECRET: crypto.randomUUID(),
    PII_ENCRYPTION_KEYS: generatePiiKey("bench"),
    PII_BLIND_INDEX_KEY: crypto.randomUUID(),
  };
  const w = await unstable_startWorker({
    config: "wrangler.toml",
    bindings: Object.fromEntries(Object.entries(bindings).map(([k, v]) => [k, { type: "plain_text", value: v }])),
    dev: { server: { hostname: "127.0.0.1", port: 0 }, inspector: false, watch: false, logLevel: "error" },
  });
  return { url: new URL("/bench/page", (await w.url).toString()).toString(), dispose: () => w.dispose() };
}

/** `concurrency` clients, each sending its next request when the last is answered, for `seconds`. */
async function load(url: string) {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const res = await fetch(url).catch(() => null);
        if (res) await res.arrayBuffer();
        if (res?.status === 200) latencies.push(performance.now() - t0);
        else errors++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { requests: latencies.length, errors, rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
}

const [off, on] = [await worker("off"), await worker("on")];
for (const url of [originUrl, off.url, on.url]) await fetch(url).then((r) => r.arrayBuffer()); // warm
const results: Record<string, Awaited<ReturnType<typeof load>>[]> = {
  origin: [],
  "edge, limiter off": [],
  "edge, limiter on": [],
};
let trips = 0;
let limited = 0;
for (let r = 0; r < rounds; r++) {
  results.origin!.push(await load(originUrl));
  results["edge, limiter off"]!.push(await load(off.url));
  const before = await roundTrips();
  const res = await load(on.url);
  trips += (await roundTrips()) - before;
  limited += res.requests + res.errors;
  results["edge, limiter on"]!.push(res);
}
// The floor under the limiter's cost: one round trip to Redis through the same REST adapter, alone.
const rest = new Redis({ url: upstashUrl, token: upstashToken });
const rt: number[] = [];
for (let i = 0; i < 500; i++) {
  const t0 = performance.now();
  await rest.eval("return 1", [], []);
  rt.push(performance.now() - t0);
}
rt.sort((a, b) => a - b);
const rtP50 = rt[Math.floor(rt.length / 2)]!;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const row = (name: string) => {
  const rs = results[name]!;
  return {
    name,
    rps: median(rs.map((r) => r.rps)),
    p50: median(rs.map((r) => r.p50)),
    p99: median(rs.map((r) => r.p99)),
    errors: rs.reduce((a, r) => a + r.errors, 0),
  };
};
const rows = Object.keys(results).map(row);
console.log(
  `\nbench:edge: ${concurrency} concurrent clients, ${seconds} s per run, ${rounds} alternating rounds (medians), loopback\n`,
);
console.log("path                    requests/s   p50 ms   p99 ms   errors");
for (const r of rows)
  console.log(
    `${r.name.padEnd(22)} ${r.rps.toFixed(0).padStart(11)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${String(r.errors).padStart(8)}`,
  );
const [, offRow, onRow] = rows as [unknown, (typeof rows)[number], (typeof rows)[number]];
const ratio = onRow.p50 / offRow.p50;
console.log(`\nRedis round trips per limited request: ${(trips / limited).toFixed(3)} (goal ≤ 1)`);
console.log(`p50 with limiter / without: ${ratio.toFixed(3)} (+${((ratio - 1) * 100).toFixed(1)} %; goal < +15 %)`);
console.log(`requests/s with limiter / without: ${(onRow.rps / offRow.rps).toFixed(3)}`);
console.log(
  `one Redis round trip through the REST adapter alone: p50 ${rtP50.toFixed(2)} ms; the limiter's p50 cost beyond it: ${(onRow.p50 - offRow.p50 - rtP50).toFixed(2)} ms`,
);
await off.dispose();
await on.dispose();
upstashChild.kill();
proxy.close();
origin.close();
process.exit(0);
