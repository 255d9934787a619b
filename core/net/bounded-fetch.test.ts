import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HostileServer, outcomeOf, startHostileServer } from "../../tests/support/hostile-servers";
import { eventually } from "../../tests/support/wait";
import { boundedFetch } from "./bounded-fetch";

let drip: HostileServer;
let silent: HostileServer;
let endless: HostileServer;
let redirect: HostileServer;

beforeAll(async () => {
  drip = await startHostileServer({ mode: "drip", intervalMs: 20 });
  silent = await startHostileServer({ mode: "silent" });
  endless = await startHostileServer({ mode: "endless" });
  redirect = await startHostileServer({ mode: "redirect", location: `${drip.url}/elsewhere` });
});
afterAll(async () => {
  await Promise.all([drip, silent, endless, redirect].map((s) => s?.stop()));
});

describe("boundedFetch", () => {
  it("ends at its deadline while the body drips, and hangs up", async () => {
    expect(await outcomeOf(boundedFetch(`${drip.url}/slow`, {}, { deadlineMs: 400, maxBytes: 1 << 20 }))).toBe(
      "timeout",
    );
    await eventually(async () => drip.openConnections() === 0, 5000, "the dripping connection to be closed");
  });

  it("ends at its deadline when the headers never come", async () => {
    expect(await outcomeOf(boundedFetch(`${silent.url}/`, {}, { deadlineMs: 300, maxBytes: 1024 }))).toBe("timeout");
  });

  it("cuts an endless body at the cap, or refuses it", async () => {
    const cut = await boundedFetch(`${endless.url}/`, {}, { deadlineMs: 5000, maxBytes: 5000 });
    expect(cut).toMatchObject({ status: 200, truncated: true });
    expect(cut.body.length).toBe(5000);
    expect(
      await outcomeOf(boundedFetch(`${endless.url}/`, {}, { deadlineMs: 5000, maxBytes: 5000, overflow: "fail" })),
    ).toBe("too_large");
    // Node's fetch (undici) lets go of an aborted socket that is still receiving some seconds later.
    await eventually(async () => endless.openConnections() === 0, 20_000, "the endless connections to be closed");
  });

  it("passes a caller's abort on and does not follow redirects", async () => {
    const caller = new AbortController();
    const pending = boundedFetch(`${silent.url}/`, { signal: caller.signal }, { deadlineMs: 10_000, maxBytes: 1024 });
    caller.abort(new Error("hung up"));
    await expect(pending).rejects.toThrow("hung up");
    const before = drip.requests.length;
    expect((await boundedFetch(`${redirect.url}/`, {}, { deadlineMs: 2000, maxBytes: 1024 })).status).toBe(302);
    expect(drip.requests.length).toBe(before);
  });
});
