import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { workPool } from "../../app/jobs/pool.server";
import { startFaultProxy } from "../support/fault-proxy";
import { ownerQuery } from "../support/seed";
import { eventually } from "../support/wait";

/**
 * The jobs process must outlive a query it loses. With pg-boss's `work`, a `complete` that failed
 * (the connection lost just then; on the embedded default, `portal "" does not exist`) was an
 * unhandled rejection, and the process exited with every other job it held (issue 18, item 16).
 */
const ownerUrl = () => inject("ownerUrl");
const queue = `test.pool.${crypto.randomUUID().slice(0, 8)}`;
let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
let boss: PgBoss;
const logs: Record<string, unknown>[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  const url = new URL(ownerUrl());
  proxy = await startFaultProxy({ host: url.hostname, port: Number(url.port || 5432) });
  url.host = `127.0.0.1:${proxy.port}`;
  boss = new PgBoss({
    connectionString: url.toString(),
    max: 2,
    migrate: false,
    schedule: false,
    supervise: true,
    maintenanceIntervalSeconds: 1,
  });
  boss.on("error", () => {}); // its supervisor's queries fail too while the database is away
  await boss.start();
  await boss.createQueue(queue, { name: queue, expireInSeconds: 1, retryLimit: 5, retryDelay: 0 });
});
afterAll(async () => {
  proxy?.pass();
  await boss?.deleteQueue(queue).catch(() => {});
  await boss?.stop({ graceful: false, wait: true });
  await proxy?.stop();
  process.off("unhandledRejection", onUnhandled);
});

const states = () =>
  ownerQuery<{ state: string; n: number }>(
    ownerUrl(),
    "select state, count(*)::int as n from pgboss.job where name = $1 group by state",
    [queue],
  ).then((r) => Object.fromEntries(r.map((x) => [x.state, x.n])));

describe("a queue worked by the jobs process whose database goes away while it holds a batch", () => {
  let consumer: ReturnType<typeof workPool>;

  it("logs the lost completion, keeps running, and the jobs are done once the database is back", async () => {
    const runs = new Map<string, number>();
    let cut = false;
    for (const n of [1, 2, 3]) await boss.send(queue, { n });
    consumer = workPool<{ n: number }>(
      boss,
      queue,
      async (job) => {
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        // The job's work is done; the database goes before its completion is written.
        if (!cut) {
          cut = true;
          proxy.down();
        }
      },
      { concurrency: 10, pollMs: 200, onError: (msg, err) => logs.push({ msg, err }) },
    );
    const lostLogged = () => logs.some((l) => l.msg === `${queue}: a job's outcome could not be filed`);
    await eventually(async () => lostLogged() || unhandled.length > 0, 20_000, "the lost completion");
    expect(unhandled).toEqual([]);
    expect(lostLogged()).toBe(true);
    proxy.pass();
    await eventually(
      async () => (await states()).completed === 3,
      30_000,
      "every job completed after the database came back",
    );
    expect([...runs.values()].every((n) => n >= 2)).toBe(true); // run again: the first completion was lost
    // Still consuming: a job sent now is done.
    await boss.send(queue, { n: 4 });
    await eventually(async () => (await states()).completed === 4, 20_000, "a later job");
    await consumer.stop(5000);
    expect(unhandled).toEqual([]);
  });

  it("fails a job whose handler throws, alone, with its message; the others complete", async () => {
    const ids = await Promise.all([boss.send(queue, { n: 5 }), boss.send(queue, { n: 6 })]);
    consumer = workPool<{ n: number }>(
      boss,
      queue,
      async (job) => {
        if (job.data.n === 6) throw new Error("six is refused");
      },
      { concurrency: 10, pollMs: 200, onError: (msg, err) => logs.push({ msg, err }) },
    );
    await eventually(
      async () =>
        (
          await ownerQuery<{ n: number }>(
            ownerUrl(),
            "select count(*)::int as n from pgboss.job where id = any($1) and (state = 'completed' or output->>'message' = 'six is refused')",
            [ids],
          )
        ).at(0)?.n === 2,
      20_000,
      "one completed, one failed with its message",
    );
    await consumer.stop(5000);
    expect(unhandled).toEqual([]);
  });
});
