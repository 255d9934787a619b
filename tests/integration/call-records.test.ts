import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { listen } from "../../db/listen";
import { channels } from "../../db/live-signals";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { callRecordWriter } from "../../media-relay/call-records";
import { startFaultProxy } from "../support/fault-proxy";
import { ringingCall } from "../support/relay";
import { ownerQuery } from "../support/seed";
import { eventually } from "../support/wait";

const tokenSecret = `st-${crypto.randomUUID()}`;
let db: NodeDb;
const logged: Record<string, unknown>[] = [];
const ownerUrl = () => inject("ownerUrl");

beforeAll(() => {
  db = createNodeDb(inject("appUrl"), { max: 5 });
});
afterAll(() => db.$pool.end());

const eventsOf = (callId: string) =>
  ownerQuery<{ type: string; created_at: string; micros: string }>(
    ownerUrl(),
    `select type, created_at, (extract(epoch from created_at) * 1000000)::bigint::text as micros
     from call_events where call_id = $1 and type like 'e%' order by created_at`,
    [callId],
  );

describe("the relay's group commit of call records", () => {
  it("writes what many calls record at one moment in one transaction, each call's events in order", async () => {
    const first = await ringingCall(db, { ownerUrl: ownerUrl(), tokenSecret });
    const second = await ringingCall(db, { ownerUrl: ownerUrl(), tokenSecret });
    const records = callRecordWriter(db, (f) => logged.push(f));
    const written = [];
    for (let i = 0; i < 40; i++)
      for (const c of [first, second]) written.push(records.event(c.tenantId, { callId: c.callId, type: `e${i}` }));
    written.push(
      records.turn(first.tenantId, { callId: first.callId, seq: 1, speaker: "caller", text: "Hi", offsetMs: 5 }),
    );
    await Promise.all(written);

    for (const c of [first, second]) {
      const events = await eventsOf(c.callId);
      expect(events.map((e) => e.type)).toEqual(Array.from({ length: 40 }, (_, i) => `e${i}`));
    }
    // Both tenants' calls wrote in one moment; one tenant's 40 events a microsecond apart: one transaction's clock.
    const micros = (await eventsOf(first.callId)).map((e) => BigInt(e.micros));
    expect(micros.every((m, i) => i === 0 || m - micros[i - 1]! === 1n)).toBe(true);
    const [turn] = await ownerQuery(ownerUrl(), "select text from call_turns where call_id = $1", [first.callId]);
    expect(turn).toEqual({ text: "Hi" });
  });

  it("signals each changed call once per write, after the commit", async () => {
    const c = await ringingCall(db, { ownerUrl: ownerUrl(), tokenSecret });
    const heard: string[] = [];
    const listener = listen(
      inject("appUrl"),
      channels.callLive,
      (id) => heard.push(id),
      () => {},
    );
    // Listening once a probe comes through.
    await eventually(async () => {
      await ownerQuery(ownerUrl(), "select pg_notify($1, 'probe')", [channels.callLive]);
      return heard.includes("probe");
    });
    const records = callRecordWriter(db, () => {});
    await Promise.all([1, 2, 3].map((i) => records.event(c.tenantId, { callId: c.callId, type: `e${i}` })));
    // The probe is sent after the write, on the same channel: once it is heard, so is every signal of the write.
    heard.length = 0;
    await ownerQuery(ownerUrl(), "select pg_notify($1, 'after')", [channels.callLive]);
    await eventually(async () => heard.includes("after"));
    expect(heard.filter((id) => id === c.callId)).toHaveLength(1);
    await listener.close();
  });

  it("keeps a refused record from taking its neighbours with it, and says which call lost one", async () => {
    const c = await ringingCall(db, { ownerUrl: ownerUrl(), tokenSecret });
    const records = callRecordWriter(db, (f) => logged.push(f));
    const missingCall = crypto.randomUUID();
    await Promise.all([
      records.event(c.tenantId, { callId: c.callId, type: "e-before" }),
      records.event(c.tenantId, { callId: missingCall, type: "e-refused" }),
      records.event(c.tenantId, { callId: c.callId, type: "e-after" }),
    ]);
    expect((await eventsOf(c.callId)).map((e) => e.type)).toEqual(["e-before", "e-after"]);
    expect(logged).toContainEqual(expect.objectContaining({ msg: "call write failed", callId: missingCall }));
  });

  it("holds records while the database is away and writes them, in order, when it is back", async () => {
    const c = await ringingCall(db, { ownerUrl: ownerUrl(), tokenSecret });
    const url = new URL(inject("appUrl"));
    const proxy = await startFaultProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    const viaProxy = createNodeDb(url.toString(), { max: 2 });
    try {
      const records = callRecordWriter(viaProxy, (f) => logged.push(f));
      proxy.down();
      const written = ["e1", "e2", "e3"].map((type) => records.event(c.tenantId, { callId: c.callId, type }));
      await eventually(async () => logged.some((f) => f.msg === "database away: call writes will be retried"));
      written.push(records.event(c.tenantId, { callId: c.callId, type: "e4" }));
      proxy.pass();
      await Promise.all(written);
      expect((await eventsOf(c.callId)).map((e) => e.type)).toEqual(["e1", "e2", "e3", "e4"]);
    } finally {
      await viaProxy.$pool.end();
      await proxy.stop();
    }
  });
});
