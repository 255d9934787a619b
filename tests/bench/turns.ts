import "../turns/quiet-logs";
import { freshDatabase } from "../support/databases";
import { runScenario } from "../turns/call";
import { EXPECTED, scenarios } from "../turns/corpus";
import { SLOW_TOOL_MS } from "../turns/lines";
import { type Measured, measure } from "../turns/measure";
import { startTurnsRig } from "../turns/rig";
import { checkTools } from "../turns/synth";

/**
 * `npm run bench:turns`: the turn-taking corpus (tests/turns/corpus.ts, synthesised with espeak-ng
 * and sox) through the real relay, one call per scenario, measured from outside: the Twilio
 * player's timeline and the transcript recorded in the database (docs/decisions/0043).
 * BENCH_ROUNDS (default 2) repeats the corpus; BENCH_CONCURRENCY (default 2) calls at once;
 * BENCH_SCENARIOS (comma-separated names) runs a subset; BENCH_DATABASE names the database.
 */
checkTools();
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 2);
const only = process.env.BENCH_SCENARIOS?.split(",");
const chosen = scenarios.filter((s) => !only || only.includes(s.name));

const { ownerUrl, appUrl } = await freshDatabase(process.env.BENCH_DATABASE ?? "bvrai_bench_turns");
const rig = await startTurnsRig({ appUrl, ownerUrl });
const queue = Array.from({ length: rounds }, () => chosen).flat();
const results: Measured[] = [];
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    for (let s = queue.shift(); s; s = queue.shift()) {
      const m = measure(await runScenario(rig, s));
      results.push(m);
      process.stderr.write(`${m.name}: ${JSON.stringify(m)}\n`);
    }
  }),
);
await rig.stop();

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!) : null;
};
const dist = (xs: (number | null)[]) => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? `p50 ${pct(v, 50)} ms, p95 ${pct(v, 95)} ms (n=${v.length})` : "n/a";
};
const rate = (xs: (boolean | null)[]) => {
  const v = xs.filter((x): x is boolean => x !== null);
  return v.length
    ? `${Math.round((100 * v.filter(Boolean).length) / v.length)} % (${v.filter(Boolean).length}/${v.length})`
    : "n/a";
};
const of = (kinds: string[]) => results.filter((r) => kinds.includes(r.kind));

console.log(`\nTurn-taking corpus: ${chosen.length} scenarios × ${rounds} rounds, ${results.length} calls\n`);
console.log(
  "scenario                 kind          cut  resumed  stop ms  resume ms  end-of-turn ms  early  caller turns",
);
for (const s of chosen) {
  for (const r of results.filter((x) => x.name === s.name)) {
    const cell = (v: unknown, w: number) => String(v ?? "-").padEnd(w);
    const line = (v: boolean) => (s.during === "line" ? (v ? "yes" : "no") : "-");
    const ms = (v: number | null) => (v === null ? null : Math.round(v));
    console.log(
      `${cell(r.name, 24)} ${cell(r.kind, 13)} ${cell(line(r.cut), 4)} ${cell(line(r.resumed), 8)} ${cell(ms(r.stopMs), 8)} ${cell(ms(r.resumeMs), 10)} ${cell(ms(r.endOfTurnMs), 15)} ${cell(r.answeredEarly ? "yes" : "no", 6)} ${r.callerTurns}`,
    );
  }
}
console.log("");
for (const kinds of [["backchannel"], ["noise"], ["echo"], ["silence"], ["backchannel", "noise", "echo"]])
  console.log(`false barge-in rate (${kinds.join("+")}): ${rate(of(kinds).map((r) => r.falseBargeIn))}`);
const interruptions = of(["interruption"]);
console.log(`missed-interruption rate: ${rate(interruptions.map((r) => r.missedInterruption))}`);
console.log(`time to stop after a real interruption (goal ≤ 300 ms): ${dist(interruptions.map((r) => r.stopMs))}`);
console.log(`heard transcript = played marks (interruptions): ${rate(interruptions.map((r) => r.heardMatchesPlayed))}`);
console.log(`time to resume after a false one: ${dist(of(["backchannel", "noise", "echo"]).map((r) => r.resumeMs))}`);
for (const s of chosen.filter((x) => x.during === "after" || x.kind === "interruption"))
  console.log(
    `end-of-turn delay, ${s.name}: ${dist(results.filter((r) => r.name === s.name).map((r) => r.endOfTurnMs))}; answered early ${rate(results.filter((r) => r.name === s.name).map((r) => r.answeredEarly))}`,
  );
console.log(`first-greeting time: ${dist(results.map((r) => r.firstGreetingMs))}`);
console.log(`dead air during the slow tool (${SLOW_TOOL_MS / 1000} s): ${dist(of(["tool"]).map((r) => r.deadAirMs))}`);
console.log("\nexpected:");
for (const [kind, outcome] of Object.entries(EXPECTED)) console.log(`  ${kind}: ${outcome}`);
process.exit(0);
