import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { reapLostCalls } from "../../app/jobs/lost-calls.server";
import { generatePiiKey } from "../../core/crypto/pii";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { requestCallEnd } from "../../db/queries/live-calls";
import { openMediaStream } from "../fakes/twilio-media-stream";
import { freePort, startService } from "../support/processes";
import { ringingCall } from "../support/relay";
import { ownerQuery, seedTenant } from "../support/seed";
import { eventually } from "../support/wait";

/**
 * The relay as production runs it on a machine of several cores: a primary and two workers
 * sharing the port (RELAY_WORKERS=2), in a child process. Calls of one tenant are capped at one
 * (RELAY_MAX_CALLS_PER_TENANT=1) so the slot limit can be seen across workers.
 */
const ownerUrl = () => inject("ownerUrl");
const secrets = { STREAM_TOKEN_SECRET: `st-${crypto.randomUUID()}`, TWILIO_AUTH_TOKEN: `tw-${crypto.randomUUID()}` };
const pii = { PII_ENCRYPTION_KEYS: generatePiiKey("rw"), PII_BLIND_INDEX_KEY: `bi-${crypto.randomUUID()}` };
let relay: ReturnType<typeof startService>;
let url = "";
let ops = "";
let db: NodeDb;
type Status = { status: string; calls: number; workers: { number: number; pid: number; calls: number }[] };
const status = () => fetch(`${ops}/ready`).then(async (r) => ({ code: r.status, ...((await r.json()) as Status) }));

beforeAll(async () => {
  const [port, opsPort] = [await freePort(), await freePort()];
  url = `ws://127.0.0.1:${port}/twilio`;
  ops = `http://127.0.0.1:${opsPort}`;
  relay = startService("media-relay/main.ts", {
    DATABASE_URL: inject("appUrl"),
    RELAY_PORT: String(port),
    OPS_PORT: String(opsPort),
    RELAY_WORKERS: "2",
    RELAY_HEARTBEAT_SECONDS: "1",
    RELAY_DRAIN_SECONDS: "2",
    RELAY_MAX_CALLS_PER_TENANT: "1",
    ...secrets,
    ...pii,
  });
  await relay.ready(`${ops}/ready`);
  db = createNodeDb(inject("appUrl"), { max: 3 });
}, 60_000);
afterAll(async () => {
  await relay?.kill("SIGKILL");
  await db?.$pool.end();
});

/** A ringing call of tenant `t` (a new tenant unless given), as the edge leaves it. */
const ringing = (tenant?: { number: string; agentId: string }) =>
  ringingCall(db, { ownerUrl: ownerUrl(), tokenSecret: secrets.STREAM_TOKEN_SECRET, tenant });
type Stream = Awaited<ReturnType<typeof openMediaStream>>;
const open = async (token: string) => openMediaStream(url, { token }, secrets.TWILIO_AUTH_TOKEN);
/** Places calls until one lands on worker `number` and is greeted (the others are hung up). */
async function callOn(number: number) {
  for (let i = 0; i < 8; i++) {
    const call = await ringing();
    const stream = await open(call.token);
    if (stream.worker() === number) {
      await stream.waitFor("the greeting", () => stream.marks().includes("turn-0"));
      return { ...call, stream };
    }
    await stream.hangUp();
  }
  throw new Error(`no call landed on worker ${number}`);
}
const endReason = async (callId: string) =>
  (
    await ownerQuery<{ end_reason: string | null }>(ownerUrl(), "select end_reason from calls where id = $1", [callId])
  )[0]?.end_reason;
const closedAs = (callId: string, reason: string) =>
  eventually(async () => (await endReason(callId)) === reason, 15_000, `call ${callId} closed as ${reason}`);
const silenceOn = (s: Stream) => void s.silence(60_000);

describe("the relay with two workers", () => {
  it("carries calls on both workers, and one scrape of its operations port shows both", async () => {
    const [a, b] = [await callOn(1), await callOn(2)];
    const s = await eventually(async () => {
      const now = await status();
      return now.workers.every((w) => w.calls === 1) && now;
    });
    expect(s).toMatchObject({ code: 200, status: "ready", calls: 2 });
    const metrics = await (await fetch(`${ops}/metrics`)).text();
    const live = metrics.split("\n").filter((l) => l.startsWith("bvrai_active_calls{") && l.endsWith(" 1"));
    expect(live.map((l) => /worker="(\d)"/.exec(l)?.[1]).sort()).toEqual(["1", "2"]);
    await Promise.all([a.stream.hangUp(), b.stream.hangUp()]);
    await Promise.all([closedAs(a.callId, "stream_stopped"), closedAs(b.callId, "stream_stopped")]);
  });

  it("holds a tenant to its call limit across workers", async () => {
    const t = await seedTenant(ownerUrl());
    const first = await ringing(t);
    const held = await open(first.token);
    await held.waitFor("the greeting", () => held.marks().includes("turn-0"));
    const workers = new Set<number>();
    for (let i = 0; i < 8 && workers.size < 2; i++) {
      const next = await ringing(t);
      const refused = await open(next.token);
      workers.add(refused.worker()!);
      await refused.waitFor("the busy line and hang-up", () => refused.closed() !== null);
      expect(await endReason(next.callId)).toBe("concurrency_limit");
    }
    expect([...workers].sort()).toEqual([1, 2]);
    await held.hangUp();
    await closedAs(first.callId, "stream_stopped");
  });

  it("ends a call from the portal on whichever worker carries it", async () => {
    const calls = [await callOn(1), await callOn(2)];
    for (const c of calls) silenceOn(c.stream);
    const actor = { userId: null, ip: null };
    for (const c of calls)
      expect(await requestCallEnd(db, { tenantId: c.tenantId, callId: c.callId, actor })).toBe(true);
    for (const c of calls) await c.stream.waitFor("the stream to end", () => c.stream.closed() !== null, 15_000);
    for (const c of calls) expect(await endReason(c.callId)).toBe("ended_by_admin");
  });

  it("loses only the calls of a worker that dies, and forks its replacement", async () => {
    const [lost, kept] = [await callOn(1), await callOn(2)];
    for (const c of [lost, kept]) silenceOn(c.stream);
    const before = await status();
    const pid = before.workers.find((w) => w.number === 1)!.pid;
    process.kill(pid, "SIGKILL");
    const killedAt = new Date();
    await lost.stream.waitFor("the dead worker's stream to drop", () => lost.stream.closed() !== null);
    expect(lost.stream.closed()).toBe(1006);
    // The other worker's call goes on: it is still open and its worker still beats for it.
    await eventually(
      async () =>
        (
          await ownerQuery<{ last_seen_at: Date }>(ownerUrl(), "select last_seen_at from calls where id = $1", [
            kept.callId,
          ])
        )[0]!.last_seen_at > killedAt,
      10_000,
      "a heartbeat of the surviving worker",
    );
    expect(kept.stream.closed()).toBeNull();
    const replaced = await eventually(async () => {
      const now = await status();
      const one = now.workers.find((w) => w.number === 1);
      return now.code === 200 && one && one.pid !== pid && now;
    });
    expect(replaced.workers.map((w) => w.number)).toEqual([1, 2]);
    const onReplacement = await callOn(1);
    // The lost call is closed by the sweep at its last heartbeat, as when a whole relay dies.
    await eventually(
      async () => (await reapLostCalls(db, { silentSeconds: 2, tenantId: lost.tenantId })).closed === 1,
      15_000,
      "the sweep to close the lost call",
    );
    expect(await endReason(lost.callId)).toBe("relay_lost");
    for (const c of [kept, onReplacement]) await c.stream.hangUp();
    await closedAs(kept.callId, "stream_stopped");
    await closedAs(onReplacement.callId, "stream_stopped");
  });

  it("drains every worker on SIGTERM, closing their calls as relay_shutdown, then exits", async () => {
    const calls = [await callOn(1), await callOn(2)];
    for (const c of calls) silenceOn(c.stream);
    const exited = relay.kill("SIGTERM");
    await eventually(async () => (await status()).status === "draining", 5_000, "the relay to report draining");
    expect(await exited).toBe(0);
    for (const c of calls) {
      expect(c.stream.closed()).not.toBeNull();
      expect(await endReason(c.callId)).toBe("relay_shutdown");
    }
  });
});
