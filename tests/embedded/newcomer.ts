import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { eventually } from "../support/wait";
import { assertPortsFree, devPorts, freshCopy, serverProblems, simulateCall, startDev } from "./platform";
import { createAgent, openBrowser, seeCalls, signUp, visitEveryPage } from "./walk";

/**
 * `npm test`'s check of the embedded default as a newcomer meets it (README, "Two commands"):
 * `npm run dev` in a fresh copy of the checkout (no .data, a cold Vite cache, a newcomer's
 * environment), sign-up with the code from the dev mailbox, an agent, every page of the portal,
 * two simulated phone calls one after the other, then three at once. It fails on any answer of
 * 500 or more, any browser console error, any error the platform logs, and any of its processes
 * exiting (issue 18, item 16).
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const started = Date.now();
const step = (msg: string) => console.log(`[newcomer ${Math.round((Date.now() - started) / 1000)} s] ${msg}`);
const failures: string[] = [];
let finishing = false;

await assertPortsFree();
const dir = freshCopy(root);
mkdirSync(join(root, "test-results"), { recursive: true });
const logFile = join(root, "test-results/newcomer-dev.log");
step(`npm run dev in ${dir} (its output: ${logFile})`);
const dev = startDev(dir, logFile);
let browser: Awaited<ReturnType<typeof openBrowser>> | undefined;
const deadline = setTimeout(() => void finish("took more than 20 minutes"), 20 * 60_000);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void finish(`stopped by ${signal}`));

// The walk ends at once, failed, if the platform goes away under it.
const exitedByItself = dev.exited.then((code) => {
  throw new Error(`npm run dev exited by itself (code ${code}); its last lines say why`);
});
await Promise.race([walk(), exitedByItself]).catch((err) => failures.push(String((err as Error).stack ?? err)));
await finish();

async function walk() {
  const up = (port: number) =>
    fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
  await eventually(
    async () => (await up(devPorts.web)) && (await up(devPorts.edge)) && (await up(devPorts.relay)),
    300_000,
    "the portal, edge and relay",
  );
  step("up; signing up in the browser");
  browser = await openBrowser(`http://127.0.0.1:${devPorts.web}`);
  const page = await signUp(browser.context);
  const agent = { name: "Front desk", id: "" };
  agent.id = await createAgent(page, agent.name);
  step(`agent ${agent.id}; every page of the portal`);
  await visitEveryPage(page, agent);
  step("two simulated calls, one after the other, then three at once");
  const calls = [await simulateCall(dir, agent.id), await simulateCall(dir, agent.id)];
  calls.push(...(await Promise.all([1, 2, 3].map(() => simulateCall(dir, agent.id)))));
  for (const c of calls) {
    const frames = Number(/heard (\d+) frames/.exec(c.output)?.[1] ?? 0);
    if (c.code !== 0 || frames === 0)
      failures.push(`call:simulate exited ${c.code} having heard ${frames} frames:\n${c.output}`);
  }
  step("waiting for the jobs process to close and bill every call");
  const { databaseUrl } = JSON.parse(readFileSync(join(dir, ".data/sandbox.json"), "utf8")) as { databaseUrl: string };
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const done = () =>
    db
      .query<{ n: number }>(
        "select count(*)::int as n from pgboss.job where name = 'call.ended' and state = 'completed'",
      )
      .then((r) => r.rows[0]!.n === calls.length);
  await eventually(done, 120_000, "every call.ended job completed").finally(() => db.end());
  await seeCalls(page, calls.length);
  for (const port of [devPorts.opsWeb, devPorts.opsRelay, devPorts.opsJobs]) {
    const ready = await fetch(`http://127.0.0.1:${port}/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (ready !== 200) failures.push(`ops port ${port}: /ready answered ${ready}`);
  }
}

async function finish(reason?: string) {
  if (finishing) return;
  finishing = true;
  clearTimeout(deadline);
  if (reason) failures.push(reason);
  await browser?.close().catch(() => {});
  await dev.stop();
  failures.push(...(browser?.problems ?? []), ...serverProblems(dev.lines).map((l) => `platform: ${l.slice(0, 2000)}`));
  rmSync(dir, { recursive: true, force: true });
  if (failures.length) {
    console.error(
      `\nThe embedded default failed a newcomer's walk (the platform's output is in ${logFile}):\n- ${failures.join("\n- ")}`,
    );
    process.exit(1);
  }
  step("passed");
  process.exit(0);
}
