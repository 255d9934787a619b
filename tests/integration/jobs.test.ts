import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { handleCallEnded } from "../../app/billing/call-ended.server";
import { startJobsWorker } from "../../app/jobs/worker.server";
import { loadJobsConfig } from "../../core/config";
import { type CallEndedJob, queues } from "../../db/queue";
import { placeInboundCall } from "../fakes/twilio-caller";
import { emptyCallEndedQueue, ownerQuery, seedTenant } from "../support/seed";
import { startStack } from "../support/stack";
import { eventually } from "../support/wait";

let stack: Awaited<ReturnType<typeof startStack>>;
const ownerUrl = () => inject("ownerUrl");
const config = () =>
  loadJobsConfig({
    DATABASE_URL: inject("appUrl"),
    JOBS_MAINTENANCE_INTERVAL_SECONDS: "1",
    CAMPAIGN_TICK_SECONDS: "0",
    NUMBER_CHECK_INTERVAL_MINUTES: "0",
    LOST_CALL_SWEEP_SECONDS: "0",
  });

async function endedCall() {
  const t = await seedTenant(ownerUrl());
  const call = await placeInboundCall({
    edgeUrl: stack.edgeUrl,
    authToken: stack.secrets.TWILIO_AUTH_TOKEN,
    to: t.number,
    from: "+14155550200",
    talkMs: 1100,
  });
  const [row] = await eventually(() =>
    ownerQuery<{ id: string }>(
      ownerUrl(),
      "select id from calls where provider_call_sid = $1 and ended_at is not null",
      [call.callSid],
    ).then((r) => r.length > 0 && r),
  );
  return { ...t, callId: row!.id };
}
const usageCount = (callId: string) =>
  ownerQuery<{ n: number }>(ownerUrl(), "select count(*)::int as n from usage_records where call_id = $1", [
    callId,
  ]).then((r) => r[0]!.n);

beforeAll(async () => {
  await emptyCallEndedQueue(inject("ownerUrl"));
  stack = await startStack({ appUrl: inject("appUrl"), jobs: false });
});
afterAll(() => stack?.stop());

describe("the call.ended job", () => {
  it("waits in the queue while no jobs process runs, and is done once one starts", async () => {
    const { callId } = await endedCall();
    const [job] = await ownerQuery<{ state: string }>(
      ownerUrl(),
      "select state from pgboss.job where name = $1 and data->>'callId' = $2",
      [queues.callEnded, callId],
    );
    expect(job?.state).toBe("created");
    expect(await usageCount(callId)).toBe(0);

    const worker = await startJobsWorker(config());
    try {
      await eventually(async () => (await usageCount(callId)) === 1, 20_000, "usage record");
    } finally {
      await worker.stop();
    }
  });

  it("is retried after the process holding it dies, and bills the call once", async () => {
    await ownerQuery(ownerUrl(), "update pgboss.queue set expire_seconds = 1, retry_delay = 1 where name = $1", [
      queues.callEnded,
    ]);
    try {
      const { callId } = await endedCall();
      // A process fetches the job and is killed before finishing: the job stays active, owned by nobody.
      const doomed = new PgBoss({
        connectionString: inject("appUrl"),
        migrate: false,
        supervise: false,
        schedule: false,
      });
      await doomed.start();
      const [held] = await doomed.fetch(queues.callEnded);
      expect(held?.data).toMatchObject({ callId });
      await doomed.stop({ graceful: false, wait: true });

      const worker = await startJobsWorker(config());
      try {
        await eventually(async () => (await usageCount(callId)) === 1, 30_000, "retried job to bill the call");
        const [job] = await ownerQuery<{ state: string; retry_count: number }>(
          ownerUrl(),
          "select state, retry_count from pgboss.job where id = $1",
          [held!.id],
        );
        expect(job).toMatchObject({ state: "completed" });
        expect(job!.retry_count).toBeGreaterThanOrEqual(1);
      } finally {
        await worker.stop();
      }
      // Running the handler again (a duplicate delivery) changes nothing.
      await handleCallEnded(stack.db, held as PgBoss.Job<CallEndedJob>);
      expect(await usageCount(callId)).toBe(1);
    } finally {
      await ownerQuery(ownerUrl(), "update pgboss.queue set expire_seconds = 120, retry_delay = 5 where name = $1", [
        queues.callEnded,
      ]);
    }
  });
});
