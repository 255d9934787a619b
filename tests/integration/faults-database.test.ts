import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApi } from "../../app/api/app";
import { telephonyFrom } from "../../app/telephony/numbers.server";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { createApiKey } from "../../db/queries/api-keys";
import { placeInboundCall } from "../fakes/twilio-caller";
import { testApiServices } from "../support/api";
import { startFaultProxy } from "../support/fault-proxy";
import { startTestJobsWorker } from "../support/jobs";
import { ownerQuery, seedTenant } from "../support/seed";
import { startStack } from "../support/stack";
import { eventually } from "../support/wait";

/**
 * Postgres goes away and comes back, under the whole platform (edge, relay, API all reach it
 * through a TCP proxy). What must hold: a live call goes on and loses nothing, a new call hears
 * an apology rather than an application error, the API says "try again" with its request id, and
 * once the database is back everything works again without a restart.
 */
const ownerUrl = () => inject("ownerUrl");
let pg: Awaited<ReturnType<typeof startFaultProxy>>;
let stack: Awaited<ReturnType<typeof startStack>>;
let jobs: Awaited<ReturnType<typeof startTestJobsWorker>>;
let direct: NodeDb;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  const url = new URL(inject("appUrl"));
  pg = await startFaultProxy({ host: url.hostname, port: Number(url.port || 5432) });
  url.host = `127.0.0.1:${pg.port}`;
  stack = await startStack({ appUrl: url.toString(), jobs: false });
  // The jobs worker keeps its own path to the database: the billing that follows is checked here.
  jobs = await startTestJobsWorker(inject("appUrl"), {
    PII_ENCRYPTION_KEYS: stack.secrets.PII_ENCRYPTION_KEYS,
    PII_BLIND_INDEX_KEY: stack.secrets.PII_BLIND_INDEX_KEY,
  });
  direct = createNodeDb(inject("appUrl"), { max: 2 });
});
afterAll(async () => {
  pg?.pass();
  await stack?.stop();
  await jobs?.stop();
  await direct?.$pool.end();
  await pg?.stop();
});

describe("Postgres down and back", () => {
  it("mid-call: the caller keeps hearing the agent, the call's record is written once it is back, closed at the moment it ended, billed once", async () => {
    const t = await seedTenant(ownerUrl());
    await ownerQuery(ownerUrl(), "update tenants set plan = 'payg' where id = $1", [t.tenantId]);
    const callSid = `CA${crypto.randomUUID().replace(/-/g, "")}`;
    const calling = placeInboundCall({
      edgeUrl: stack.edgeUrl,
      authToken: stack.secrets.TWILIO_AUTH_TOKEN,
      to: t.number,
      from: "+14155550161",
      talkMs: 3000,
      callSid,
    });
    // Answered, the greeting under way: then the database goes.
    await eventually(
      () =>
        ownerQuery<{ started_at: Date | null }>(
          ownerUrl(),
          "select started_at from calls where provider_call_sid = $1",
          [callSid],
        ).then((r) => r[0]?.started_at),
      15_000,
      "the call to be answered",
    );
    await sleep(300);
    pg.down();
    const call = await calling;
    // The caller hung up while the database was away; it stays away a while longer.
    await sleep(3000);
    pg.pass();
    expect(call.agentFrames).toBeGreaterThan(10);
    expect(call.marks).toEqual(["turn-0.0", "turn-0"]);
    const [row] = await eventually(
      () =>
        ownerQuery<{
          id: string;
          status: string;
          end_reason: string;
          duration_seconds: number;
          cost_micros: string | null;
        }>(
          ownerUrl(),
          "select id, status, end_reason, duration_seconds, cost_micros from calls where provider_call_sid = $1",
          [call.callSid],
        ).then((r) => r[0]?.cost_micros != null && r),
      30_000,
      "the call to be closed and billed",
    );
    expect(row).toMatchObject({ status: "completed", end_reason: "stream_stopped" });
    // Three seconds of talk, not the six until the database came back.
    expect(row!.duration_seconds).toBeGreaterThanOrEqual(3);
    expect(row!.duration_seconds).toBeLessThanOrEqual(5);
    expect(await ownerQuery(ownerUrl(), "select quantity from usage_records where call_id = $1", [row!.id])).toEqual([
      { quantity: String(row!.duration_seconds) },
    ]);
    const turns = await ownerQuery<{ speaker: string; text: string }>(
      ownerUrl(),
      "select speaker, text from call_turns where call_id = $1",
      [row!.id],
    );
    expect(turns).toEqual([{ speaker: "agent", text: "Hello, thanks for calling Acme." }]);
    const events = await ownerQuery<{ type: string }>(
      ownerUrl(),
      "select type from call_events where call_id = $1 order by created_at",
      [row!.id],
    );
    expect(events.map((e) => e.type)).toEqual([
      "call.received",
      "call.answered",
      "call.first_audio",
      "mark.played",
      "call.ended",
    ]);
  });

  it("a call that rings while it is down hears an apology, not an application error; the next one, once it is back, is answered", async () => {
    const t = await seedTenant(ownerUrl());
    pg.down();
    const refused = await placeInboundCall({
      edgeUrl: stack.edgeUrl,
      authToken: stack.secrets.TWILIO_AUTH_TOKEN,
      to: t.number,
      from: "+14155550162",
      talkMs: 0,
    });
    pg.pass();
    expect(refused.twimlStatus).toBe(200);
    expect(refused.twiml).toMatch(/<Say>Sorry, we are having technical trouble[^<]*<\/Say><Hangup\/>/);
    expect(refused.streamed).toBe(false);
    const answered = await placeInboundCall({
      edgeUrl: stack.edgeUrl,
      authToken: stack.secrets.TWILIO_AUTH_TOKEN,
      to: t.number,
      from: "+14155550163",
      talkMs: 500,
    });
    expect(answered.streamed).toBe(true);
    expect(answered.agentFrames).toBeGreaterThan(10);
  });

  it("the API answers 503 with its request id while it is down, and 200 again once it is back, with nothing half-written", async () => {
    const t = await seedTenant(ownerUrl());
    const { key } = await createApiKey(direct, {
      tenantId: t.tenantId,
      name: "outage",
      scopes: ["agents:read", "agents:write"],
      actor: { userId: null, ip: null },
    });
    const api = createApi(testApiServices(telephonyFrom({}, stack.db, stack.pii)));
    const create = () =>
      api.request("/agents", {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "Outage agent", systemPrompt: "Be brief.", firstMessage: "Hi." }),
      });
    pg.down();
    // More failed requests than the pool has connections: none may keep its connection.
    const failures = await Promise.all(Array.from({ length: 8 }, () => create()));
    const during = failures[0]!;
    pg.pass();
    expect(failures.map((r) => r.status)).toEqual(Array(8).fill(503));
    expect(await during.json()).toMatchObject({
      error: { code: "SERVICE_UNAVAILABLE", requestId: expect.any(String) },
    });
    expect(
      await ownerQuery(ownerUrl(), "select id from agents where tenant_id = $1 and name = 'Outage agent'", [
        t.tenantId,
      ]),
    ).toEqual([]);
    const after = await eventually(
      async () => {
        const res = await create();
        return res.status === 201 && res;
      },
      10_000,
      "the API to answer again",
    );
    expect(after.status).toBe(201);
    expect(
      await ownerQuery(ownerUrl(), "select id from agents where tenant_id = $1 and name = 'Outage agent'", [
        t.tenantId,
      ]),
    ).toHaveLength(1);
  });
});
