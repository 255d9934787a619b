import { fork, spawnSync } from "node:child_process";
import pg from "pg";
import twilio from "twilio";
import { WebSocket } from "ws";
import { createPiiCipher, generatePiiKey } from "../../core/crypto/pii";
import { signStreamToken } from "../../core/stream-token";
import { createNodeDb } from "../../db/node-client";
import { routeInboundCall } from "../../db/queries/inbound-calls";
import { freshDatabase } from "../support/databases";
import { ownerQuery, seedTenant } from "../support/seed";
import { printVoicingCost } from "./turn-taking-cost";

/**
 * `npm run bench:relay`: N simulated Twilio calls streaming real-time audio (20 ms μ-law frames)
 * into the relay with instant providers, and the same load into a bare `ws` echo server measured
 * in the same run as the ceiling. Prints frames in/out per second, added latency per frame
 * (p50/p99/max), CPU, CPU per inbound frame (and the relay's as a multiple of the echo server's),
 * RSS per call, dropped frames, and the platform's own share of each reply.
 *
 * RELAY_CPUS and LOAD_CPUS (taskset lists, e.g. "0,1" and "2-15") pin the server and the callers
 * to their own cores, so on a machine with more than two cores the callers do not compete with
 * the server; unset, both share the machine. RELAY_WORKERS (default 1) runs each server, echo and
 * relay alike, as that many processes sharing its port; their figures are summed (frames, CPU of
 * every process, memory) and merged (latencies) into one row.
 */
const sizes = (process.env.BENCH_CALLS ?? "100,500,1000").split(",").map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const warmup = 2;
const tokenSecret = `bench-${crypto.randomUUID()}`;
const authToken = `bench-${crypto.randomUUID()}`;
const nowMs = () => performance.timeOrigin + performance.now();

/** Pins a process and all its threads to `cpus` (a taskset list); says so once, or why it cannot. */
function pin(pid: number, cpus: string | undefined, who: string) {
  if (!cpus) return;
  const r = spawnSync("taskset", ["-a", "-pc", cpus, String(pid)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`cannot pin the ${who} to CPUs ${cpus}: ${r.stderr || r.error}`);
}
pin(process.pid, process.env.LOAD_CPUS, "callers");

// BENCH_DATABASE: a name of its own lets two checkouts run benchmarks at once.
const { ownerUrl, appUrl } = await freshDatabase(process.env.BENCH_DATABASE ?? "bvrai_bench");
const db = createNodeDb(appUrl, { max: 10 });
const tenant = await seedTenant(ownerUrl);
// A paying tenant: a trial's minutes run out within a few runs of hundreds of calls, and its calls end as `trial_used`.
await ownerQuery(ownerUrl, "update tenants set plan = 'pro' where id = $1", [tenant.tenantId]);
const pii = createPiiCipher({ keys: generatePiiKey("b"), blindIndexKey: "bench" });

type Stats = {
  frames: number;
  measured: number;
  p50: number;
  p99: number;
  max: number;
  cpuPercent: number;
  /** CPU time the server used since the reset, in microseconds. */
  cpuUs: number;
  rssMb: number;
};

async function startServer(mode: "echo" | "relay") {
  const child = fork(new URL("./relay-server.ts", import.meta.url).pathname, [mode, appUrl, tokenSecret, authToken], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", process.env.BENCH_SERVER_LOG ? "inherit" : "ignore", "inherit", "ipc"],
  });
  pin(child.pid!, process.env.RELAY_CPUS, `${mode} server`);
  const { port, pids } = await new Promise<{ port: number; pids: number[] }>((resolve) =>
    child.on("message", (m: { ready?: boolean; port: number; pids: number[] }) => m.ready && resolve(m)),
  );
  // Workers forked before the pin above took hold are pinned too.
  for (const pid of pids) pin(pid, process.env.RELAY_CPUS, `${mode} server`);
  const ask = <T>(cmd: string) =>
    new Promise<T>((resolve) => {
      const on = (m: T & { ready?: boolean }) => {
        if (m.ready) return;
        child.off("message", on);
        resolve(m);
      };
      child.on("message", on);
      child.send({ cmd });
    });
  const stats = () => ask<Stats>("stats");
  return { port, child, stats, reset: () => child.send({ cmd: "reset" }), baselineRss: (await stats()).rssMb };
}

async function run(mode: "echo" | "relay", calls: number) {
  const server = await startServer(mode);
  const url = `ws://127.0.0.1:${server.port}/twilio`;
  const signature = twilio.getExpectedTwilioSignature(authToken, url, {});
  const tokens: string[] = [];
  if (mode === "relay") {
    for (let i = 0; i < calls; i++) {
      const r = await routeInboundCall(db, pii, {
        to: tenant.number,
        from: "+14155550100",
        providerCallSid: `CA${crypto.randomUUID().replace(/-/g, "")}`,
        signer: "platform",
      });
      if (r.kind !== "connect") throw new Error(r.kind);
      tokens.push(
        await signStreamToken(tokenSecret, { callId: r.callId, tenantId: r.tenantId, agentId: r.agentId }, 600),
      );
    }
  }
  let sent = 0;
  let received = 0;
  let answered = 0;
  const sockets = await Promise.all(
    Array.from({ length: calls }, async (_, i) => {
      const ws = new WebSocket(url, { headers: { "x-twilio-signature": signature }, perMessageDeflate: false });
      const sid = `MZ${i}`;
      let greeted = false;
      ws.on("message", (data) => {
        const msg = JSON.parse(String(data)) as { event: string; mark?: { name: string } };
        if (msg.event === "media") {
          received++;
          if (!greeted) answered++;
          greeted = true;
        }
        if (msg.event === "mark") ws.send(JSON.stringify({ event: "mark", streamSid: sid, mark: msg.mark }));
      });
      await new Promise((r, j) => ws.once("open", r).once("error", j));
      ws.send(JSON.stringify({ event: "connected", protocol: "Call", version: "1.0.0" }));
      ws.send(
        JSON.stringify({
          event: "start",
          streamSid: sid,
          start: { streamSid: sid, callSid: `CA${i}`, customParameters: { token: tokens[i] ?? "" } },
        }),
      );
      return { ws, sid };
    }),
  );
  // The relay's calls stream once answered (its greeting is the sign): a worker just forked answers
  // its share of a burst of calls more slowly than a warm process, and that is not a per-frame cost.
  const until = Date.now() + 30_000;
  while (mode === "relay" && answered < calls && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  if (mode === "relay" && answered < calls) throw new Error(`${calls - answered} of ${calls} calls never answered`);
  await new Promise((r) => setTimeout(r, 500));
  const frame = new Uint8Array(160).fill(0xff);
  const view = new DataView(frame.buffer);
  let tick = 0;
  const started = performance.now();
  let measureFrom = 0;
  let receivedAtReset = 0;
  await new Promise<void>((done) => {
    const step = () => {
      tick++;
      for (const { ws, sid } of sockets) {
        view.setFloat64(0, nowMs());
        ws.send(
          `{"event":"media","streamSid":"${sid}","media":{"track":"inbound","chunk":"${tick}","timestamp":"${tick * 20}","payload":"${Buffer.from(frame).toString("base64")}"}}`,
        );
        sent++;
      }
      const elapsed = performance.now() - started;
      if (!measureFrom && elapsed >= warmup * 1000) {
        measureFrom = performance.now();
        receivedAtReset = received;
        server.reset();
      }
      if (elapsed >= seconds * 1000) return done();
      // Drift-corrected 20 ms ticks, as a real-time stream would be.
      setTimeout(step, Math.max(0, started + (tick + 1) * 20 - performance.now()));
    };
    step();
  });
  const window = (performance.now() - measureFrom) / 1000;
  const outPerSec = (received - receivedAtReset) / window;
  await new Promise((r) => setTimeout(r, 500));
  const stats = await server.stats();
  for (const { ws } of sockets) ws.close();
  await new Promise((r) => setTimeout(r, 300));
  server.child.kill();
  return {
    mode,
    calls,
    inPerSec: stats.measured / window,
    outPerSec,
    p50: stats.p50,
    p99: stats.p99,
    max: stats.max,
    cpu: stats.cpuPercent,
    cpuUsPerFrame: stats.measured ? stats.cpuUs / stats.measured : 0,
    rssPerCallKb: ((stats.rssMb - server.baselineRss) * 1000) / calls,
    dropped: sent - stats.frames,
  };
}

const rows = [];
for (const n of sizes) {
  for (const mode of ["echo", "relay"] as const) {
    const r = await run(mode, n);
    rows.push(r);
    console.log(JSON.stringify(r));
  }
}
const platform = await new pg.Client({ connectionString: ownerUrl });
await platform.connect();
const { rows: turns } = await platform.query<{ p50: number; p99: number; n: number }>(
  `select percentile_cont(0.5) within group (order by (latency->>'platformMs')::int) as p50,
          percentile_cont(0.99) within group (order by (latency->>'platformMs')::int) as p99, count(*)::int as n
   from call_turns where latency is not null`,
);
await platform.end();
await db.$pool.end();

const f = (x: number, d = 1) => x.toFixed(d).padStart(9);
console.log(
  `\nrelay benchmark: ${seconds - warmup} s measured per run after ${warmup} s warm-up; added latency = client send → frame in the consuming handler`,
);
console.log(
  `server pinned to ${process.env.RELAY_CPUS ?? "any CPU"}, callers to ${process.env.LOAD_CPUS ?? "any CPU"}; ${process.env.RELAY_WORKERS ?? 1} worker(s) per server`,
);
console.log(
  "server   calls  frames-in/s frames-out/s  p50 ms   p99 ms   max ms   CPU %  µs/frame  RSS/call KB  dropped",
);
for (const r of rows) {
  console.log(
    `${r.mode.padEnd(7)} ${String(r.calls).padStart(6)} ${f(r.inPerSec, 0)}    ${f(r.outPerSec, 0)} ${f(r.p50, 2)}${f(r.p99, 2)}${f(r.max, 2)}${f(r.cpu, 0)}${f(r.cpuUsPerFrame, 1)}${f(r.rssPerCallKb, 0)}   ${String(r.dropped).padStart(6)}`,
  );
}
for (const n of sizes) {
  const echo = rows.find((r) => r.mode === "echo" && r.calls === n);
  const relay = rows.find((r) => r.mode === "relay" && r.calls === n);
  if (echo?.cpuUsPerFrame && relay)
    console.log(
      `${n} calls: the relay spends ${(relay.cpuUsPerFrame / echo.cpuUsPerFrame).toFixed(2)} × the echo server's CPU per inbound frame`,
    );
}
console.log(
  `platform share of a reply (end of caller speech → first audio sent, instant providers): p50 ${turns[0]!.p50} ms, p99 ${turns[0]!.p99} ms over ${turns[0]!.n} replies`,
);
printVoicingCost(rows.find((r) => r.mode === "relay")?.cpuUsPerFrame);
process.exit(0);
