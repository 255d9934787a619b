import { describe, expect, inject, it } from "vitest";
import { jobs } from "../../app/jobs/registry.server";
import { ownerQuery } from "../support/seed";

type QueueRow = {
  name: string;
  retry_limit: number | null;
  retry_delay: number | null;
  retry_backoff: boolean | null;
  expire_seconds: number | null;
  dead_letter: string | null;
};

/** The queues are created by the migrations; each definition's `retry` states the same policy, and this holds the two together. */
describe("the jobs registry against the migrated queues", () => {
  it("declares each queue's retries, expiry and dead letter as its migration created them", async () => {
    const rows = await ownerQuery<QueueRow>(
      inject("ownerUrl"),
      "select name, retry_limit, retry_delay, retry_backoff, expire_seconds, dead_letter from pgboss.queue",
    );
    const migrated = new Map(rows.map((r) => [r.name, r]));
    for (const { queue, retry } of jobs) {
      const row = migrated.get(queue);
      expect(row, queue).toBeDefined();
      expect(
        {
          limit: row?.retry_limit,
          delaySeconds: row?.retry_delay,
          backoff: row?.retry_backoff ?? false,
          expireSeconds: row?.expire_seconds,
          deadLetter: row?.dead_letter,
        },
        queue,
      ).toEqual({ ...retry, deadLetter: retry.deadLetter ? `${queue}.dead` : null });
    }
  });

  it("works a dead-letter queue that exists wherever a definition handles its dead jobs", async () => {
    const names = new Set(
      (await ownerQuery<{ name: string }>(inject("ownerUrl"), "select name from pgboss.queue")).map((r) => r.name),
    );
    for (const j of jobs.filter((j) => j.onDead)) expect(names.has(`${j.queue}.dead`), j.queue).toBe(true);
  });
});
