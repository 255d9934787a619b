import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Pool } from "pg";
import { createNodeDb } from "../../db/node-client";
import { createApiKey } from "../../db/queries/api-keys";
import { placeInboundCall } from "../fakes/twilio-caller";
import { ownerQuery, seedTenant } from "../support/seed";
import { startPlatform } from "./load-platform";

/**
 * `npm run bench:load`: sign-ups, API traffic and phone calls together against the whole platform
 * on this machine (tests/bench/load-platform.ts) for LOAD_SECONDS (default 180). Prints throughput,
 * error rate and latency percentiles per workload, the relay's own frame and turn figures from its
 * /metrics, what the database holds afterwards (every call closed and billed once), and a baseline
 * measured in the same run: the same client against a bare Node HTTP server.
 */
const seconds = Number(process.env.LOAD_SECONDS ?? 180);
const concurrentCalls = Number(process.env.LOAD_CALLS ?? 12);
const apiClients = Number(process.env.LOAD_API_CLIENTS ?? 6);
const signupClients = Number(process.env.LOAD_SIGNUP_CLIENTS ?? 1);
const callSeconds = Number(process.env.LOAD_CALL_SECONDS ?? 15);

type Stats = { name: string; ok: number[]; errors: number; statuses: Map<number | string, number> };
const stats = (name: string): Stats => ({ name, ok: [], errors: 0, statuses: new Map() });
const pct = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? Number.NaN;
function took(s: Stats, ms: number, status: number | string, ok: boolean) {
  s.statuses.set(status, (s.statuses.get(status) ?? 0) + 1);
  if (ok) s.ok.push(ms);
  else s.errors++;
}
const record = (s: Stats, started: number, status: number | string, ok: boolean) =>
  took(s, performance.now() - started, status, ok);
/** `clients` loops, each sending its next request when the last is answered, until `until`. */
const loops = (clients: number, until: number, one: (i: number) => Promise<void>) =>
  Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      while (performance.now() < until) await one(i);
    }),
  );

// Baseline: the same client against a bare HTTP server, same concurrency as the API clients.
const bare = createServer((_q, r) => r.writeHead(200, { "content-type": "application/json" }).end('{"data":[]}'));
await new Promise<void>((r) => bare.listen(0, "127.0.0.1", r));
const baseline = stats("baseline: bare Node HTTP");
const baseUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
const baseUntil = performance.now() + 10_000;
await loops(apiClients, baseUntil, async () => {
  const t0 = performance.now();
  const res = await fetch(baseUrl);
  await res.arrayBuffer();
  record(baseline, t0, res.status, res.ok);
});
bare.close();

const platform = await startPlatform();
const db = createNodeDb(platform.appUrl, { max: 2 });
const actor = { userId: null, ip: null };
// Each API client speaks for four tenants on the Pro plan in turn, as many customers would: the
// per-key and per-tenant limits of one plan stay out of the way (bench:edge measures the limiter).
const apiKeys = await Promise.all(
  Array.from({ length: apiClients * 4 }, async () => {
    const t = await seedTenant(platform.ownerUrl);
    await ownerQuery(platform.ownerUrl, "update tenants set plan = 'pro' where id = $1", [t.tenantId]);
    return (
      await createApiKey(db, {
        tenantId: t.tenantId,
        name: "load",
        scopes: ["agents:read", "agents:write", "calls:read"],
        actor,
      })
    ).key;
  }),
);
let apiTurn = 0;
// One calling tenant per concurrent call: each plan's concurrent-call limit stays out of the way.
const callTenants = await Promise.all(Array.from({ length: concurrentCalls }, () => seedTenant(platform.ownerUrl)));
for (const t of callTenants)
  await ownerQuery(platform.ownerUrl, "update tenants set plan = 'payg' where id = $1", [t.tenantId]);

const signups = stats("sign-ups (POST /signup)");
const api = stats("API (agents, calls)");
const calls = stats("calls: webhook → first audio");
const twiml = stats("calls: webhook → TwiML");
let callsPlaced = 0;
let agentFrames = 0;
console.log(
  `\nbench:load: ${seconds} s; ${signupClients} sign-up, ${apiClients} API and ${concurrentCalls} call clients (calls of ${callSeconds} s); SANDBOX voice providers\n`,
);
const until = performance.now() + seconds * 1000;
await Promise.all([
  loops(signupClients, until, async () => {
    const t0 = performance.now();
    const body = new URLSearchParams({
      name: "Load Test",
      company: `Load ${crypto.randomUUID().slice(0, 8)}`,
      email: `load-${crypto.randomUUID()}@example.com`,
      password: `Pw-${crypto.randomUUID()}`,
    });
    const res = await fetch(`${platform.edgeUrl}/signup`, {
      method: "POST",
      body,
      redirect: "manual",
      headers: { origin: platform.edgeUrl },
    }).catch(() => null);
    await res?.arrayBuffer();
    record(signups, t0, res?.status ?? "network", res?.status === 302);
  }),
  loops(apiClients, until, async () => {
    const key = apiKeys[apiTurn++ % apiKeys.length]!;
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const send = async (path: string, init: RequestInit = {}) => {
      const t0 = performance.now();
      const res = await fetch(`${platform.edgeUrl}/api/v1${path}`, { ...init, headers }).catch(() => null);
      const body = res?.ok && res.status !== 204 ? await res.json() : await res?.arrayBuffer();
      record(api, t0, res?.status ?? "network", Boolean(res && res.status < 400));
      return body as { id?: string } | undefined;
    };
    const pick = Math.random();
    if (pick < 0.45) await send("/agents");
    else if (pick < 0.9) await send("/calls?limit=20");
    else {
      // Writes too: an agent made, then deleted (plans cap how many a tenant keeps).
      const made = await send("/agents", {
        method: "POST",
        body: JSON.stringify({ name: "Load agent", systemPrompt: "Be brief.", firstMessage: "Hello." }),
      });
      if (made?.id) await send(`/agents/${made.id}`, { method: "DELETE" });
    }
  }),
  loops(concurrentCalls, until, async (i) => {
    const t = callTenants[i]!;
    callsPlaced++;
    const call = await placeInboundCall({
      edgeUrl: platform.edgeUrl,
      authToken: platform.secrets.TWILIO_AUTH_TOKEN,
      to: t.number,
      from: "+14155550190",
      talkMs: callSeconds * 1000,
    }).catch(() => null);
    agentFrames += call?.agentFrames ?? 0;
    const heard = Boolean(call?.marks.includes("turn-0"));
    const ok = heard && call?.closeCode === 1000 && call.timings?.firstAudioMs !== undefined;
    // Latencies from the webhook's request: its TwiML, then the greeting's first audio frame.
    took(calls, call?.timings?.firstAudioMs ?? 0, call ? call.twimlStatus : "network", ok);
    took(twiml, call?.timings?.twimlMs ?? 0, call ? call.twimlStatus : "network", call?.twimlStatus === 200);
  }),
]);

const relayMetrics = await platform.metrics("relay");
const series = (name: string) =>
  Number(new RegExp(`^${name.replace(/[{}"+]/g, "\\$&")} (\\S+)$`, "m").exec(relayMetrics)?.[1] ?? Number.NaN);
/** A histogram's quantile, to its bucket bound, over the series whose labels include `labels`. */
const quantile = (base: string, q: number, labels = "") => {
  const buckets = [...relayMetrics.matchAll(new RegExp(`^${base}_bucket\\{([^}]*)\\} (\\S+)$`, "gm"))]
    .filter((m) => m[1]!.includes(labels))
    .map((m) => ({ le: Number(/le="([^"]+)"/.exec(m[1]!)![1]!.replace("+Inf", "Infinity")), n: Number(m[2]) }));
  const total = buckets.at(-1)?.n ?? 0;
  return buckets.find((b) => b.n >= q * total)?.le ?? Number.NaN;
};
await new Promise((r) => setTimeout(r, 5000)); // the last calls' billing
const owner = new Pool({ connectionString: platform.ownerUrl, max: 1 });
const {
  rows: [ledger],
} = await owner.query<{ calls: number; open: number; billed: number; doubled: number }>(`
  select count(*)::int as calls, count(*) filter (where ended_at is null)::int as open,
    (select count(distinct call_id) from usage_records)::int as billed,
    (select count(*) from (select call_id from usage_records group by call_id having count(*) > 1) d)::int as doubled
  from calls where provider_call_sid is not null`);
await owner.end();

console.log("workload                              ok   errors  error %    per s   p50 ms   p95 ms   p99 ms");
for (const s of [baseline, signups, api, twiml, calls]) {
  const span = s === baseline ? 10 : seconds;
  const total = s.ok.length + s.errors;
  const fmt = (n: number) => (Number.isNaN(n) ? "-" : n.toFixed(1)).padStart(8);
  console.log(
    `${s.name.padEnd(34)} ${String(s.ok.length).padStart(6)} ${String(s.errors).padStart(8)} ${((100 * s.errors) / Math.max(total, 1)).toFixed(2).padStart(8)} ${(total / span).toFixed(1).padStart(8)} ${fmt(pct(s.ok, 0.5))} ${fmt(pct(s.ok, 0.95))} ${fmt(pct(s.ok, 0.99))}`,
  );
  if (s.errors) console.log(`  statuses: ${JSON.stringify(Object.fromEntries(s.statuses))}`);
}
console.log(`\nrelay (its /metrics): ${callsPlaced} calls placed, ${agentFrames} agent frames heard by callers`);
console.log(
  `  inbound frames handled: ${series('bvrai_media_frames_total{direction="in"}')}, outbound frames sent: ${series('bvrai_media_frames_total{direction="out"}')}`,
);
console.log(
  `  frame handling p50 ≤ ${(quantile("bvrai_frame_latency_seconds", 0.5) * 1000).toFixed(2)} ms, p99 ≤ ${(quantile("bvrai_frame_latency_seconds", 0.99) * 1000).toFixed(2)} ms (histogram bucket bounds)`,
);
console.log(
  `  speech synthesis, time to first audio: p50 ≤ ${(quantile("bvrai_provider_latency_seconds", 0.5, 'provider="tts"') * 1000).toFixed(0)} ms, p99 ≤ ${(quantile("bvrai_provider_latency_seconds", 0.99, 'provider="tts"') * 1000).toFixed(0)} ms`,
);
console.log(
  `database afterwards: ${ledger!.calls} calls, ${ledger!.open} still open, ${ledger!.billed} billed, ${ledger!.doubled} billed twice`,
);
await db.$pool.end();
await platform.stop();
process.exit(0);
