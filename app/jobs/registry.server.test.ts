import { describe, expect, it } from "vitest";
import { pipeline } from "../../db/pipeline";
import { queues } from "../../db/queue";
import { jobs, schedules } from "./registry.server";

describe("the jobs registry", () => {
  const defined = jobs.map((j) => j.queue);
  const enqueued = new Set(Object.values(pipeline).flatMap((e) => e.leadsTo));

  it("defines each queue and each schedule once", () => {
    expect(new Set(defined).size).toBe(defined.length);
    expect(new Set(schedules.map((s) => s.name)).size).toBe(schedules.length);
  });

  it("works every queue the pipeline enqueues, and nothing the pipeline never leads to", () => {
    expect([...enqueued].sort()).toEqual([...defined].sort());
  });

  it("covers every named queue", () => {
    expect([...defined].sort()).toEqual(Object.values(queues).sort());
  });

  it("gives a dead-letter handler only to a queue that has a dead letter", () => {
    for (const j of jobs.filter((j) => j.onDead)) expect(j.retry.deadLetter, j.queue).toBe(true);
  });
});
