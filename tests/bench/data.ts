import { callsCsv } from "../../app/exports/calls-csv.server";
import { usageCsv } from "../../app/exports/usage-csv.server";
import { isoDay, usageRange } from "../../app/utils/usage-range";
import { createPiiCipher, generatePiiKey } from "../../core/crypto/pii";
import { createNodeDb } from "../../db/node-client";
import { billingOf } from "../../db/queries/billing";
import { getCall, listCalls } from "../../db/queries/calls";
import { encodeCursor } from "../../db/queries/keyset";
import { listLiveCalls } from "../../db/queries/live-calls";
import { onboardingProgress } from "../../db/queries/onboarding";
import { callStanding, liveCallRoom } from "../../db/queries/standing";
import { secondsUsed } from "../../db/queries/usage";
import { dailyUsage, usageBy } from "../../db/queries/usage-report";
import { withTenant } from "../../db/tenant";
import { freshDatabase } from "../support/databases";
import { ownerQuery } from "../support/seed";
import { planRecorder } from "./data-plans";
import { seedDataSet } from "./data-seed";

/**
 * `npm run bench:data`: issue 21's data set (BENCH_CALLS calls for one tenant, default 1,000,000;
 * two small tenants beside it), then every interactive and admission query as the app role under
 * RLS, through the functions the portal, API and relay call: p50/p95 of BENCH_RUNS runs (30) after
 * a warm-up, and the plan of each one's slowest statement (top node, indexes used, rows read).
 */
const n = Number(process.env.BENCH_CALLS ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 30);
const name = process.env.BENCH_DATABASE ?? "bvrai_bench_data";

const seededAt = performance.now();
const { ownerUrl, appUrl } = await freshDatabase(name);
const { big, small } = await seedDataSet(ownerUrl, n);
console.log(`seeded ${n.toLocaleString("en")} calls in ${((performance.now() - seededAt) / 1000).toFixed(0)} s`);

const db = createNodeDb(appUrl, { max: 4 });
const plans = planRecorder(db.$pool);
const pii = createPiiCipher({ keys: generatePiiKey("b"), blindIndexKey: "bench" });
const tenantId = big.tenantId;
// Cursors halfway down the list in two sorts, as the list itself would have given them out.
const deepIn = async (sort: "created" | "duration", key: string) => {
  const [row] = await ownerQuery<{ key: string; id: string }>(
    ownerUrl,
    `select ${key} as key, id from calls where tenant_id = $1 order by 1 desc, id desc offset $2 limit 1`,
    [tenantId, Math.floor(n / 2)],
  );
  return encodeCursor(sort, "desc", row!);
};
const deep = await deepIn("created", `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);
const deepByDuration = await deepIn("duration", "coalesce(duration_seconds, 0)::text");
const [anAgent] = await ownerQuery<{ id: string }>(ownerUrl, "select id from agents where tenant_id = $1 limit 1", [
  tenantId,
]);
const [withTurns] = await ownerQuery<{ id: string }>(
  ownerUrl,
  "select call_id as id from call_turns where tenant_id = $1 order by created_at desc limit 1",
  [tenantId],
);
const period = { periodStart: new Date(Date.now() - 25 * 86_400_000) };
// The portal's own range: the last d whole UTC days up to today, as its date pickers send them.
const days = (d: number) => {
  const to = new Date();
  const from = new Date(to.getTime() - (d - 1) * 86_400_000);
  const range = usageRange(new URLSearchParams({ from: isoDay(from), to: isoDay(to) }));
  return { tenantId, from: range.from, to: range.to };
};
const usagePage = (d: number) => () =>
  Promise.all([
    dailyUsage(db, days(d)),
    usageBy(db, { ...days(d), by: "agent" }),
    usageBy(db, { ...days(d), by: "number" }),
  ]);

const queries: [string, () => Promise<unknown>][] = [
  ["calls list, first page", () => listCalls(db, pii, { tenantId })],
  [
    `calls list, cursor ${Math.floor(n / 2).toLocaleString("en")} deep`,
    () => listCalls(db, pii, { tenantId, cursor: deep }),
  ],
  ["calls list, longest first", () => listCalls(db, pii, { tenantId, sort: "duration" })],
  [
    `calls list, longest first, cursor ${Math.floor(n / 2).toLocaleString("en")} deep`,
    () => listCalls(db, pii, { tenantId, sort: "duration", cursor: deepByDuration }),
  ],
  ["calls list, cheapest first", () => listCalls(db, pii, { tenantId, sort: "cost", dir: "asc" })],
  ["calls list, one agent", () => listCalls(db, pii, { tenantId, agentId: anAgent!.id })],
  ["calls list, failed", () => listCalls(db, pii, { tenantId, status: "failed" })],
  ["calls list, 7 days", () => listCalls(db, pii, { tenantId, since: new Date(Date.now() - 7 * 86_400_000) })],
  [
    "calls list, 7 days, longest first",
    () => listCalls(db, pii, { tenantId, sort: "duration", since: new Date(Date.now() - 7 * 86_400_000) }),
  ],
  ["calls list, outcome successful", () => listCalls(db, pii, { tenantId, outcome: "successful" })],
  ["calls list, outcome unevaluated", () => listCalls(db, pii, { tenantId, outcome: "unevaluated" })],
  ["calls list, from a caller", () => listCalls(db, pii, { tenantId, from: "+15550001234" })],
  ["API calls list, first 100", () => listCalls(db, pii, { tenantId, limit: 100 })],
  ["a call with its turns", () => getCall(db, pii, { tenantId, id: withTurns!.id })],
  ["usage page, 30 days", usagePage(30)],
  ["usage page, 180 days", usagePage(180)],
  [
    "home: billing + onboarding",
    () => Promise.all([billingOf(db, { tenantId }), onboardingProgress(db, { tenantId })]),
  ],
  ["admission: seconds used", () => withTenant(db, tenantId, (tx) => secondsUsed(tx, tenantId, period))],
  ["admission: liveCallRoom", () => withTenant(db, tenantId, (tx) => liveCallRoom(tx, tenantId))],
  ["admission: callStanding", () => withTenant(db, tenantId, (tx) => callStanding(tx, tenantId))],
  ["live calls page", () => listLiveCalls(db, { tenantId })],
  ["small tenant's calls list", () => listCalls(db, pii, { tenantId: small[0]!.tenantId })],
];

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const rows: string[][] = [];
for (const [label, fn] of queries) {
  for (let i = 0; i < 3; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const plan = await plans.slowest(fn);
  rows.push([
    label,
    pct(times, 50).toFixed(1),
    pct(times, 95).toFixed(1),
    plan ? `${plan.top} ${plan.ms.toFixed(1)} ms` : "-",
    plan?.indexes.join(", ") || "(no index)",
    plan ? plan.rowsRead.toLocaleString("en") : "-",
  ]);
}
console.log(
  `\n| query (${n.toLocaleString("en")} calls) | p50 ms | p95 ms | slowest statement | indexes | rows read |`,
);
console.log("| --- | ---: | ---: | --- | --- | ---: |");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);

// The exports whole, as a client reads them: rows, time to the first byte and to the last, and how
// far the heap grew above where it started (constant memory: it must not grow with the rows).
const exports: [string, () => Promise<Response>][] = [
  ["calls CSV, 30 days", () => callsCsv({ db, pii }, days(30))],
  ["calls CSV, 180 days", () => callsCsv({ db, pii }, days(180))],
  ["usage CSV, 180 days", () => usageCsv({ db }, days(180))],
];
console.log(
  "\n| export | rows counted up front | lines streamed | first byte ms | total s | rows/s | MB | heap growth MB |",
);
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const [label, open] of exports) {
  globalThis.gc?.();
  const heapAtStart = process.memoryUsage().heapUsed;
  let heapPeak = heapAtStart;
  const t0 = performance.now();
  const response = await open();
  const reader = response.body!.getReader();
  let firstByte = 0;
  let bytes = 0;
  let newlines = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    if (!firstByte) firstByte = performance.now() - t0;
    bytes += chunk.value.length;
    for (const b of chunk.value) if (b === 10) newlines++;
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }
  const seconds = (performance.now() - t0) / 1000;
  const rowsOut = newlines - 1;
  console.log(
    `| ${label} | ${Number(response.headers.get("x-total-rows")).toLocaleString("en")} | ${rowsOut.toLocaleString("en")} | ${firstByte.toFixed(0)} | ${seconds.toFixed(1)} | ${Math.round(rowsOut / seconds).toLocaleString("en")} | ${(bytes / 1e6).toFixed(1)} | ${((heapPeak - heapAtStart) / 1e6).toFixed(1)} |`,
  );
}
await db.$pool.end();
