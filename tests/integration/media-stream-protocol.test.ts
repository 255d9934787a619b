import type { Server } from "node:http";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { WebSocket } from "ws";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { createRelayServer } from "../../media-relay/server";
import { openMediaStream } from "../fakes/twilio-media-stream";
import { ringingCall } from "../support/relay";
import { ownerQuery } from "../support/seed";

const tokenSecret = `st-${crypto.randomUUID()}`;
const authToken = `tw-${crypto.randomUUID()}`;
let db: NodeDb;
let relay: ReturnType<typeof createRelayServer>;
let url: string;

beforeAll(async () => {
  db = createNodeDb(inject("appUrl"), { max: 5 });
  relay = createRelayServer({ db, tokenSecret, twilioAuthToken: authToken });
  const port = await new Promise<number>((r) =>
    (relay.server as Server).listen(0, "127.0.0.1", () => r((relay.server.address() as { port: number }).port)),
  );
  url = `ws://127.0.0.1:${port}/twilio`;
});
afterAll(async () => {
  for (const ws of relay.wss.clients) ws.terminate();
  relay.server.close();
  await db.$pool.end();
});

const token = async () => (await ringingCall(db, { ownerUrl: inject("ownerUrl"), tokenSecret })).token;

/** Opens a raw socket (optionally signed), sends messages, and reports how it was closed. */
async function raw(messages: unknown[], sign: string | null = authToken) {
  const headers = sign ? { "x-twilio-signature": twilio.getExpectedTwilioSignature(sign, url, {}) } : {};
  const ws = new WebSocket(url, { headers });
  return new Promise<{ status?: number; code?: number; reason?: string }>((resolve) => {
    ws.on("unexpected-response", (_req, res) => resolve({ status: res.statusCode }));
    ws.on("open", () => {
      for (const m of messages) ws.send(typeof m === "string" ? m : JSON.stringify(m));
    });
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() }));
  });
}

describe("the Media Streams protocol at the relay", () => {
  it("refuses a handshake without Twilio's signature, or signed with another token", async () => {
    expect(await raw([], null)).toEqual({ status: 403 });
    expect(await raw([], "not-the-token")).toEqual({ status: 403 });
  });

  it("closes a connection whose messages are malformed or out of order, naming the reason", async () => {
    const sid = "MZ0123";
    const start = async () => ({
      event: "start",
      streamSid: sid,
      start: { streamSid: sid, callSid: "CA1", customParameters: { token: await token() } },
    });
    expect(await raw([{ event: "media", streamSid: sid, media: { payload: "" } }])).toEqual({
      code: 1008,
      reason: "media before start",
    });
    expect(await raw(["not json"])).toEqual({ code: 1008, reason: "message is not JSON" });
    expect(await raw([{ event: "telepathy", streamSid: sid }])).toEqual({
      code: 1008,
      reason: 'malformed or unknown "telepathy" message',
    });
    expect(await raw([await start(), { event: "media", streamSid: sid }])).toEqual({
      code: 1008,
      reason: 'malformed or unknown "media" message',
    });
    expect(await raw([await start(), { event: "mark", streamSid: "MZother", mark: { name: "x" } }])).toEqual({
      code: 1008,
      reason: "mark for another stream",
    });
  });

  it("keeps other calls going while one connection is closed for bad input", async () => {
    const good = await openMediaStream(url, { token: await token() }, authToken);
    const bad = raw([{ event: "stop", streamSid: "MZ1" }]);
    expect(await bad).toEqual({ code: 1008, reason: "stop before start" });
    await good.waitFor("the greeting", () => good.marks().includes("turn-0"));
    await good.hangUp();
  });
});

describe("relay shutdown (SIGTERM)", () => {
  it("takes no new calls, lets live ones run until the deadline, then closes them cleanly", async () => {
    const own = createRelayServer({ db, tokenSecret, twilioAuthToken: authToken });
    const port = await new Promise<number>((r) =>
      (own.server as Server).listen(0, "127.0.0.1", () => r((own.server.address() as { port: number }).port)),
    );
    const ownUrl = `ws://127.0.0.1:${port}/twilio`;
    const t = await token();
    const live = await openMediaStream(ownUrl, { token: t }, authToken);
    await live.waitFor("the greeting", () => live.marks().includes("turn-0"));
    const callId = JSON.parse(Buffer.from(t.split(".")[1]!, "base64url").toString()).callId as string;

    const drained = own.drain(600);
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(ownUrl, {
        headers: { "x-twilio-signature": twilio.getExpectedTwilioSignature(authToken, ownUrl, {}) },
      });
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.on("error", () => resolve(-1));
    });
    expect([503, -1]).toContain(refused); // refused at the HTTP layer, or the listener is already closed
    await live.silence(300);
    expect(live.closed()).toBeNull(); // still talking before the deadline
    await drained;
    await live.waitFor("the relay to close the stream", () => live.closed() !== null);
    expect(live.closed()).toBe(1001);
    const [row] = await ownerQuery<{ status: string; end_reason: string }>(
      inject("ownerUrl"),
      "select status, end_reason from calls where id = $1",
      [callId],
    );
    expect(row).toEqual({ status: "completed", end_reason: "relay_shutdown" });
  });
});
