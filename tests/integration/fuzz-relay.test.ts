import { connect, type Socket } from "node:net";
import fc from "fast-check";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { WebSocket } from "ws";
import { generatePiiKey } from "../../core/crypto/pii";
import { signStreamToken } from "../../core/stream-token";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { openMediaStream } from "../fakes/twilio-media-stream";
import { freePort, startService } from "../support/processes";
import { ringingCall } from "../support/relay";
import { ownerQuery } from "../support/seed";
import { eventually } from "../support/wait";

/**
 * No input stops the relay. The relay runs as production runs it (a child process); a phone call
 * streams through it the whole time, while upgrade requests, frames and slow senders of every
 * shape are thrown at it. Afterwards the process is up, the call has kept streaming, and a new
 * call is answered.
 */
const ownerUrl = () => inject("ownerUrl");
const secrets = { STREAM_TOKEN_SECRET: `st-${crypto.randomUUID()}`, TWILIO_AUTH_TOKEN: `tw-${crypto.randomUUID()}` };
const site = "https://shop.example.com";
let port = 0;
let relay: ReturnType<typeof startService>;
let exitCode: number | null | undefined;
let db: NodeDb;
let live: Awaited<ReturnType<typeof openMediaStream>>;
let liveCallId: string;
let streaming: Promise<void>;

beforeAll(async () => {
  port = await freePort();
  relay = startService("media-relay/main.ts", {
    DATABASE_URL: inject("appUrl"),
    RELAY_PORT: String(port),
    RELAY_HEARTBEAT_SECONDS: "1",
    LOG_LEVEL: "fatal",
    ...secrets,
    PII_ENCRYPTION_KEYS: generatePiiKey("fz"),
    PII_BLIND_INDEX_KEY: `bi-${crypto.randomUUID()}`,
  });
  void relay.exited.then((code) => {
    exitCode = code;
  });
  await relay.ready(`http://127.0.0.1:${port}/ready`);
  db = createNodeDb(inject("appUrl"), { max: 3 });
  // A caller who listens in silence for as long as the fuzzing takes, on an agent that lets them.
  const call = await ringingCall(db, {
    ownerUrl: ownerUrl(),
    tokenSecret: secrets.STREAM_TOKEN_SECRET,
    settings: { silence_timeout_seconds: 3600 },
  });
  liveCallId = call.callId;
  live = await openMediaStream(`ws://127.0.0.1:${port}/twilio`, { token: call.token }, secrets.TWILIO_AUTH_TOKEN);
  await live.waitFor("the live call's greeting", () => live.marks().includes("turn-0"));
  streaming = live.silence(10 * 60_000);
}, 60_000);
afterAll(async () => {
  // The relay drains its calls before it exits: the live call ends first, even when a test failed before hanging it up.
  if (live && live.closed() === null) await live.hangUp().catch(() => undefined);
  await relay?.kill("SIGTERM");
  await db?.$pool.end();
});

/** Sends raw bytes as one HTTP request and resolves with what came back once the relay answered or hung up. */
function rawRequest(bytes: string | Buffer) {
  return new Promise<string>((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let got = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${JSON.stringify(String(bytes).slice(0, 80))}`));
    }, 10_000);
    socket.on("data", (d) => {
      got += d.toString("latin1");
      if (got.includes("\r\n\r\n")) socket.end();
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(got);
    });
    socket.write(bytes);
  });
}
const upgradeRequest = (target: string, headers = "") =>
  `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${headers}\r\n`;

type Frame = { text: string } | { binary: Uint8Array } | { invalidUtf8: true };
/** Sends frames on an open socket, then waits until the relay has either closed it or answered a ping after them. */
async function throwFrames(ws: WebSocket, frames: Frame[]) {
  const closed = new Promise<void>((r) => ws.once("close", () => r()));
  await new Promise<void>((resolve) => {
    ws.once("open", () => resolve());
    ws.once("unexpected-response", () => resolve());
    ws.once("error", () => resolve());
  });
  ws.on("error", () => undefined);
  if (ws.readyState !== ws.OPEN) return;
  for (const f of frames) {
    if (ws.readyState !== ws.OPEN) break;
    if ("text" in f) ws.send(f.text);
    else if ("binary" in f) ws.send(f.binary, { binary: true });
    else ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
  }
  const answered = new Promise<void>((r) => ws.once("pong", () => r()));
  if (ws.readyState === ws.OPEN) ws.ping();
  await Promise.race([closed, answered]);
  ws.terminate();
}

const twilioMessage = fc.oneof(
  fc.record({
    event: fc.constantFrom("connected", "start", "media", "mark", "dtmf", "stop", "closed", ""),
    streamSid: fc.oneof(fc.string(), fc.constant("MZ1")),
  }),
  fc.record({
    event: fc.constant("start"),
    start: fc.record({ streamSid: fc.string(), customParameters: fc.dictionary(fc.string(), fc.string()) }),
  }),
  fc.record({
    event: fc.constant("media"),
    streamSid: fc.constant("MZ1"),
    media: fc.record({ payload: fc.oneof(fc.base64String(), fc.string()) }),
  }),
  fc.record({
    event: fc.constant("mark"),
    streamSid: fc.constant("MZ1"),
    mark: fc.record({ name: fc.string({ maxLength: 300 }) }),
  }),
);
const anyFrame: fc.Arbitrary<Frame> = fc.oneof(
  twilioMessage.map((m) => ({ text: JSON.stringify(m) })),
  fc.jsonValue().map((v) => ({ text: JSON.stringify(v) ?? "null" })),
  fc.string({ unit: "binary", maxLength: 300 }).map((text) => ({ text })),
  fc.uint8Array({ maxLength: 3000 }).map((binary) => ({ binary })),
  fc.constant({ invalidUtf8: true as const }),
  fc.constantFrom(70 * 1024, 64 * 1024 + 1).map((n) => ({ binary: new Uint8Array(n) })),
  fc.constant({ text: `{"event":"media","streamSid":"${"x".repeat(70 * 1024)}"}` }),
  fc
    .constantFrom("null", "[]", "{}", "0", '"start"', '{"event":null}', '{"type":{"toString":1}}')
    .map((text) => ({ text })),
);

describe("the relay under hostile input", () => {
  it("answers an upgrade for // (it used to throw in the upgrade listener and end the process)", async () => {
    for (const target of ["//", "//twilio", "/\\evil.example", "//evil.example/twilio"])
      expect(await rawRequest(upgradeRequest(target))).toMatch(/^HTTP\/1\.1 4\d\d /);
  });

  it("survives a 70 KiB frame on a widget socket (it used to raise an unhandled error and end the process)", async () => {
    const call = await ringingCall(db, { ownerUrl: ownerUrl(), tokenSecret: secrets.STREAM_TOKEN_SECRET });
    const token = await signStreamToken(
      secrets.STREAM_TOKEN_SECRET,
      { callId: call.callId, tenantId: call.tenantId, agentId: call.agentId, origin: site },
      60,
    );
    const ws = new WebSocket(`ws://127.0.0.1:${port}/widget?token=${encodeURIComponent(token)}`, { origin: site });
    await throwFrames(ws, [{ binary: new Uint8Array(70 * 1024) }]);
    expect(exitCode).toBeUndefined();
  });

  it("survives a widget control message whose type is an object without a string form (found by this suite)", async () => {
    const call = await ringingCall(db, { ownerUrl: ownerUrl(), tokenSecret: secrets.STREAM_TOKEN_SECRET });
    const token = await signStreamToken(
      secrets.STREAM_TOKEN_SECRET,
      { callId: call.callId, tenantId: call.tenantId, agentId: call.agentId, origin: site },
      60,
    );
    const ws = new WebSocket(`ws://127.0.0.1:${port}/widget?token=${encodeURIComponent(token)}`, { origin: site });
    await throwFrames(ws, [{ text: '{"type":{"toString":1}}' }]);
    expect(exitCode).toBeUndefined();
  });

  it("answers every upgrade request, whatever its target and headers", async () => {
    const target = fc.oneof(
      fc.constantFrom(
        "/twilio",
        "/twilio/",
        "/widget",
        "/widget?token=",
        "/widget?token=%",
        "/%zz",
        `/twilio/AC${"0".repeat(32)}`,
        "/twilio?account=AC1",
        "http://evil.example/twilio",
        "*",
        "/twilio#x",
      ),
      fc.string({ maxLength: 200 }).map((s) => `/${s}`),
      fc.webPath(),
      fc.webUrl(),
    );
    const header = fc.oneof(
      fc.constant(""),
      fc.constantFrom(
        "X-Twilio-Signature: AAAA\r\n",
        "Origin: https://shop.example.com\r\n",
        `X-Twilio-Signature: ${"A".repeat(8000)}\r\n`,
      ),
      fc
        .tuple(fc.stringMatching(/^[A-Za-z-]{1,20}$/), fc.string({ maxLength: 100 }))
        .map(([k, v]) => `${k}: ${v.replace(/[\r\n]/g, "")}\r\n`),
    );
    await fc.assert(
      fc.asyncProperty(target, header, async (t, h) => {
        const answer = await rawRequest(upgradeRequest(t.replace(/[\s]/g, "%20"), h));
        expect(answer).toMatch(/^HTTP\/1\.1 \d{3} /);
        expect(exitCode).toBeUndefined();
      }),
      { numRuns: 60 },
    );
  });

  it("survives any frames on a phone stream, in any order", async () => {
    const url = `ws://127.0.0.1:${port}/twilio`;
    await fc.assert(
      fc.asyncProperty(fc.array(anyFrame, { maxLength: 8 }), async (frames) => {
        const ws = new WebSocket(url, {
          headers: { "x-twilio-signature": twilio.getExpectedTwilioSignature(secrets.TWILIO_AUTH_TOKEN, url, {}) },
        });
        await throwFrames(ws, frames);
        expect(exitCode).toBeUndefined();
      }),
      { numRuns: 40 },
    );
  });

  it("survives any frames on a widget socket that is carrying a call", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyFrame, { minLength: 1, maxLength: 8 }), async (frames) => {
        const call = await ringingCall(db, { ownerUrl: ownerUrl(), tokenSecret: secrets.STREAM_TOKEN_SECRET });
        const token = await signStreamToken(
          secrets.STREAM_TOKEN_SECRET,
          { callId: call.callId, tenantId: call.tenantId, agentId: call.agentId, origin: site },
          60,
        );
        await throwFrames(
          new WebSocket(`ws://127.0.0.1:${port}/widget?token=${encodeURIComponent(token)}`, { origin: site }),
          frames,
        );
        expect(exitCode).toBeUndefined();
      }),
      { numRuns: 15 },
    );
  });

  it("keeps serving while slow senders trickle their requests", async () => {
    const slow: Socket[] = [];
    const trickle = async (text: string) => {
      const s = connect(port, "127.0.0.1");
      s.on("error", () => undefined);
      slow.push(s);
      for (const ch of text) {
        if (s.destroyed) return;
        s.write(ch);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const dripping = [
      trickle(upgradeRequest("/twilio")),
      trickle(upgradeRequest("/widget?token=x")),
      trickle("GET /health HTTP/1.1\r\nHost: x\r\n"),
    ];
    // Meanwhile a new phone call is answered and greeted.
    const call = await ringingCall(db, { ownerUrl: ownerUrl(), tokenSecret: secrets.STREAM_TOKEN_SECRET });
    const fresh = await openMediaStream(
      `ws://127.0.0.1:${port}/twilio`,
      { token: call.token },
      secrets.TWILIO_AUTH_TOKEN,
    );
    await fresh.waitFor("a new call's greeting", () => fresh.marks().includes("turn-0"));
    await fresh.hangUp();
    for (const s of slow) s.destroy();
    await Promise.all(dripping);
  });

  it("is still up afterwards, and the call that streamed through all of it is carried to its end", async () => {
    expect(exitCode).toBeUndefined();
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    expect(live.closed()).toBeNull();
    // No beat yet is 0: on a fast run the suite can end within the first heartbeat's second.
    const beat = async () =>
      (
        await ownerQuery<{ last_seen_at: Date | null }>(ownerUrl(), "select last_seen_at from calls where id = $1", [
          liveCallId,
        ])
      )[0]!.last_seen_at?.getTime() ?? 0;
    const seen = await beat();
    await eventually(async () => (await beat()) > seen, 10_000, "the live call's next heartbeat");
    await live.hangUp();
    await streaming;
    const [row] = await eventually(
      () =>
        ownerQuery<{ status: string; end_reason: string }>(
          ownerUrl(),
          "select status, end_reason from calls where id = $1",
          [liveCallId],
        ).then((r) => r[0]?.status === "completed" && r),
      10_000,
      "the live call to close",
    );
    expect(row).toEqual({ status: "completed", end_reason: "stream_stopped" });
  });
});
