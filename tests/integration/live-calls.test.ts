import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { callEventStream, createCallFeedHub } from "../../app/live/call-feed.server";
import { endRequested, listLiveCalls, requestCallEnd } from "../../db/queries/live-calls";
import { placeInboundCall } from "../fakes/twilio-caller";
import { ownerQuery, seedTenant } from "../support/seed";
import { startStack } from "../support/stack";
import { eventually } from "../support/wait";

let stack: Awaited<ReturnType<typeof startStack>>;
let hub: ReturnType<typeof createCallFeedHub>;
const ownerUrl = () => inject("ownerUrl");
const actor = { userId: null, ip: null };

beforeAll(async () => {
  stack = await startStack({ appUrl: inject("appUrl") });
  hub = createCallFeedHub({ url: inject("appUrl"), log: () => {} });
});
afterAll(async () => {
  await hub?.close();
  await stack?.stop();
});

/** Reads a Server-Sent Events stream into a list of {event, data} as they arrive. */
function collect(stream: ReadableStream<Uint8Array>) {
  const seen: { event: string; data: Record<string, unknown> }[] = [];
  const done = (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
        seen.push({ event, data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "null") });
      }
    }
  })();
  return { seen, done };
}

describe("live calls", () => {
  it("stream a live call's transcript and events as they happen, list it, and let an admin end it", async () => {
    const t = await seedTenant(ownerUrl());
    const other = await seedTenant(ownerUrl());
    const phoneCall = placeInboundCall({
      edgeUrl: stack.edgeUrl,
      authToken: stack.secrets.TWILIO_AUTH_TOKEN,
      to: t.number,
      from: "+14155550131",
      talkMs: 30_000,
    });
    const [{ id: callId }] = (await eventually(
      async () => {
        const rows = await ownerQuery<{ id: string }>(
          ownerUrl(),
          "select id from calls where tenant_id = $1 and status = 'in_progress'",
          [t.tenantId],
        );
        return rows.length ? rows : null;
      },
      20_000,
      "the call to be answered",
    )) as [{ id: string }];

    expect((await listLiveCalls(stack.db, { tenantId: t.tenantId })).map((c) => c.id)).toEqual([callId]);
    expect(await listLiveCalls(stack.db, { tenantId: other.tenantId })).toEqual([]);

    // Polling is off (an hour): what arrives comes from the Postgres signals alone.
    const abort = new AbortController();
    const feed = collect(
      callEventStream({ db: stack.db, hub, pollMs: 3_600_000 }, { tenantId: t.tenantId, callId }, abort.signal),
    );
    await eventually(
      async () => feed.seen.some((e) => e.event === "turn" && e.data.text === "Hello, thanks for calling Acme."),
      20_000,
      "the first message in the live transcript",
    );
    expect(feed.seen.filter((e) => e.event === "event").map((e) => e.data.type)).toEqual(
      expect.arrayContaining(["call.received", "call.answered"]),
    );

    // Another team can neither see the call's feed nor end it.
    const stranger = collect(
      callEventStream(
        { db: stack.db, hub, pollMs: 3_600_000 },
        { tenantId: other.tenantId, callId },
        new AbortController().signal,
      ),
    );
    await stranger.done;
    expect(stranger.seen).toEqual([]);
    expect(await requestCallEnd(stack.db, { tenantId: other.tenantId, callId, actor })).toBe(false);

    expect(await requestCallEnd(stack.db, { tenantId: t.tenantId, callId, actor })).toBe(true);
    await feed.done;
    expect(feed.seen.at(-1)).toEqual({ event: "ended", data: { status: "completed", reason: "ended_by_admin" } });
    expect(feed.seen.filter((e) => e.event === "event").map((e) => e.data.type)).toEqual(
      expect.arrayContaining(["call.end_requested", "call.ended"]),
    );
    // The phone side hears the stream end well before its 30 seconds.
    const ended = await phoneCall;
    expect(ended.marks).toContain("turn-0");
    const audit = await ownerQuery<{ action: string }>(
      ownerUrl(),
      "select action from audit_log where tenant_id = $1",
      [t.tenantId],
    );
    expect(audit.map((a) => a.action)).toContain("call.ended_by_admin");
    expect(await endRequested(stack.db, { tenantId: t.tenantId, callIds: [callId] })).toEqual([callId]);
    expect(await listLiveCalls(stack.db, { tenantId: t.tenantId })).toEqual([]);
    expect(await requestCallEnd(stack.db, { tenantId: t.tenantId, callId, actor })).toBe(false);
  });
});
