import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { reapLostCalls } from "../../app/jobs/lost-calls.server";
import { generatePiiKey } from "../../core/crypto/pii";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { closeCall } from "../../db/queries/call-lifecycle";
import { placeInboundCall } from "../fakes/twilio-caller";
import { freshDatabase } from "../support/databases";
import { startTestJobsWorker, testJobsEnv } from "../support/jobs";
import { freePort, startService } from "../support/processes";
import { ownerQuery, seedTenant } from "../support/seed";
import { startStack } from "../support/stack";
import { eventually } from "../support/wait";

/**
 * Processes killed outright (SIGKILL: no drain, no goodbye), as an out-of-memory kill or a lost
 * machine does it. The relay and the jobs worker run here as real child processes.
 */
const ownerUrl = () => inject("ownerUrl");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the relay killed during a call", () => {
  const secrets = { STREAM_TOKEN_SECRET: `st-${crypto.randomUUID()}`, TWILIO_AUTH_TOKEN: `tw-${crypto.randomUUID()}` };
  let stack: Awaited<ReturnType<typeof startStack>>;
  let relayPort = 0;
  let relay: ReturnType<typeof startService> | undefined;
  let jobs: Awaited<ReturnType<typeof startTestJobsWorker>>;
  let db: NodeDb;
  const startRelay = async () => {
    relay = startService("media-relay/main.ts", {
      DATABASE_URL: inject("appUrl"),
      RELAY_PORT: String(relayPort),
      RELAY_HEARTBEAT_SECONDS: "1",
      ...secrets,
      PII_ENCRYPTION_KEYS: stack.secrets.PII_ENCRYPTION_KEYS,
      PII_BLIND_INDEX_KEY: stack.secrets.PII_BLIND_INDEX_KEY,
    });
    await relay.ready(`http://127.0.0.1:${relayPort}/ready`);
  };
  beforeAll(async () => {
    relayPort = await freePort();
    stack = await startStack({
      appUrl: inject("appUrl"),
      jobs: false,
      bindings: { RELAY_PUBLIC_URL: `ws://127.0.0.1:${relayPort}`, ...secrets },
    });
    jobs = await startTestJobsWorker(inject("appUrl"), {
      PII_ENCRYPTION_KEYS: stack.secrets.PII_ENCRYPTION_KEYS,
      PII_BLIND_INDEX_KEY: stack.secrets.PII_BLIND_INDEX_KEY,
    });
    db = createNodeDb(inject("appUrl"), { max: 2 });
    await startRelay();
  }, 60_000);
  afterAll(async () => {
    await relay?.kill("SIGTERM");
    await stack?.stop();
    await jobs?.stop();
    await db?.$pool.end();
  });

  it("the caller hears an apology instead of dead air; the call is closed as relay_lost at its last heartbeat, billed once; a restarted relay takes calls again", async () => {
    const t = await seedTenant(ownerUrl());
    await ownerQuery(ownerUrl(), "update tenants set plan = 'payg' where id = $1", [t.tenantId]);
    const callSid = `CA${crypto.randomUUID().replace(/-/g, "")}`;
    const calling = placeInboundCall({
      edgeUrl: stack.edgeUrl,
      authToken: secrets.TWILIO_AUTH_TOKEN,
      to: t.number,
      from: "+14155550171",
      talkMs: 8000,
      callSid,
    });
    await eventually(
      () =>
        ownerQuery<{ last_seen_at: Date | null }>(
          ownerUrl(),
          "select last_seen_at from calls where provider_call_sid = $1",
          [callSid],
        ).then((r) => r[0]?.last_seen_at),
      15_000,
      "the relay's first heartbeat",
    );
    const killedAt = Date.now();
    await relay!.kill("SIGKILL");
    const call = await calling;
    expect(call.agentFrames).toBeGreaterThan(10);
    expect(call.closeCode).toBe(1006);
    expect(call.afterStream).toEqual({
      status: 200,
      twiml: expect.stringMatching(/<Say>Sorry, we are having technical trouble[^<]*<\/Say><Hangup\/>/),
    });

    // The sweep (every 30 s in production, 75 s of silence) finds it; here it is asked at once.
    await sleep(1500);
    expect(await reapLostCalls(db, { silentSeconds: 1, tenantId: t.tenantId })).toEqual({ found: 1, closed: 1 });
    const [row] = await eventually(
      () =>
        ownerQuery<{
          id: string;
          status: string;
          end_reason: string;
          ended_at: Date;
          duration_seconds: number;
          cost_micros: string | null;
        }>(
          ownerUrl(),
          "select id, status, end_reason, ended_at, duration_seconds, cost_micros from calls where provider_call_sid = $1",
          [callSid],
        ).then((r) => r[0]?.cost_micros != null && r),
      20_000,
      "the lost call to be billed",
    );
    expect(row).toMatchObject({ status: "completed", end_reason: "relay_lost" });
    expect(new Date(row!.ended_at).getTime()).toBeLessThanOrEqual(killedAt + 500);
    expect(await ownerQuery(ownerUrl(), "select quantity from usage_records where call_id = $1", [row!.id])).toEqual([
      { quantity: String(row!.duration_seconds) },
    ]);
    expect(await reapLostCalls(db, { silentSeconds: 1, tenantId: t.tenantId })).toEqual({ found: 0, closed: 0 });

    await startRelay();
    const next = await placeInboundCall({
      edgeUrl: stack.edgeUrl,
      authToken: secrets.TWILIO_AUTH_TOKEN,
      to: t.number,
      from: "+14155550172",
      talkMs: 600,
    });
    expect(next.agentFrames).toBeGreaterThan(10);
    expect(next.afterStream).toBeUndefined();
  });

  it("a call the agent ends itself is closed before its stream: Twilio is told to hang up, without the apology", async () => {
    const t = await seedTenant(ownerUrl());
    await ownerQuery(ownerUrl(), "update agents set silence_timeout_seconds = 1 where id = $1", [t.agentId]);
    const call = await placeInboundCall({
      edgeUrl: stack.edgeUrl,
      authToken: secrets.TWILIO_AUTH_TOKEN,
      to: t.number,
      from: "+14155550173",
      talkMs: 10_000,
    });
    expect(call.closeCode).toBe(1000);
    expect(call.afterStream).toEqual({
      status: 200,
      twiml: expect.stringMatching(/<Response><Hangup\/><\/Response>$/),
    });
  });
});

describe("the jobs worker killed mid-batch", () => {
  let ownerDb: string;
  let appDb: string;
  let db: NodeDb;
  beforeAll(async () => {
    // A database of its own: no other test file's worker may take these jobs.
    ({ ownerUrl: ownerDb, appUrl: appDb } = await freshDatabase("bvrai_it_jobkill"));
    db = createNodeDb(appDb, { max: 4 });
  }, 120_000);
  afterAll(() => db?.$pool.end());

  it("jobs it held are run again after it is gone, and every call is billed exactly once", async () => {
    const t = await seedTenant(ownerDb);
    await ownerQuery(ownerDb, "update tenants set plan = 'payg' where id = $1", [t.tenantId]);
    const ids = await ownerQuery<{ id: string }>(
      ownerDb,
      "insert into calls (tenant_id, agent_id, direction, status, started_at) select $1, $2, 'web', 'in-progress', now() - interval '90 seconds' from generate_series(1, 150) returning id",
      [t.tenantId, t.agentId],
    );
    for (const { id } of ids) await closeCall(db, { tenantId: t.tenantId, callId: id, reason: "caller_hangup" });
    // A crashed worker's jobs are retried once they expire: seconds here, minutes in production.
    await ownerQuery(ownerDb, "update pgboss.job set expire_in = interval '3 seconds' where name = 'call.ended'");
    const env = { ...testJobsEnv(appDb), PII_ENCRYPTION_KEYS: generatePiiKey("j1"), PII_BLIND_INDEX_KEY: "jobkill" };
    const first = startService("app/jobs/main.ts", env);
    const states = () =>
      ownerQuery<{ state: string; n: number }>(
        ownerDb,
        "select state, count(*)::int as n from pgboss.job where name = 'call.ended' group by state",
      ).then((r) => Object.fromEntries(r.map((x) => [x.state, x.n])) as Record<string, number>);
    // Killed while it holds jobs (whether any are still unfetched then depends on the machine's speed).
    const atKill = await eventually(
      async () => {
        const s = await states();
        return (s.completed ?? 0) > 0 && (s.active ?? 0) > 0 && s;
      },
      60_000,
      "the worker to be mid-batch",
    );
    await first.kill("SIGKILL");
    expect(atKill.active).toBeGreaterThan(0);

    const second = startService("app/jobs/main.ts", env);
    try {
      await eventually(async () => (await states()).completed === 150 && true, 60_000, "every job to complete");
    } finally {
      await second.kill("SIGTERM");
    }
    const billed = await ownerQuery<{ call_id: string; n: number }>(
      ownerDb,
      "select call_id, count(*)::int as n from usage_records where tenant_id = $1 group by call_id",
      [t.tenantId],
    );
    expect(billed).toHaveLength(150);
    expect(billed.every((b) => b.n === 1)).toBe(true);
    const costs = await ownerQuery<{ n: number }>(
      ownerDb,
      "select count(*)::int as n from calls where tenant_id = $1 and cost_micros is null",
      [t.tenantId],
    );
    expect(costs).toEqual([{ n: 0 }]);
  });
});
