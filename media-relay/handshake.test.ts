import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readHandshake, signedStreamUrl } from "./handshake";
import { closeReason } from "./socket";

const account = `AC${"0123456789abcdef".repeat(2)}`;

describe("reading an upgrade request's target", () => {
  it("knows the relay's three doors and nothing else", () => {
    expect(readHandshake("/twilio")).toEqual({ kind: "twilio", path: "/twilio", account: null });
    expect(readHandshake(`/twilio/${account}`)).toEqual({ kind: "twilio", path: `/twilio/${account}`, account });
    // Twilio drops a <Stream url>'s query string: an account there is never read.
    expect(readHandshake(`/twilio?account=${account}`)).toEqual({ kind: "twilio", path: "/twilio", account: null });
    expect(readHandshake("/widget?token=st1.a.b")).toEqual({ kind: "widget", token: "st1.a.b" });
    for (const target of [
      "//",
      "//twilio",
      "/\\twilio",
      "http://relay/twilio",
      "/twilio/",
      `/twilio/${account}/x`,
      "/twilio/AC1",
      "",
      undefined,
      "*",
    ])
      expect(readHandshake(target)).toEqual({ kind: "unknown" });
  });

  it("never throws, and accepts only a path on the relay's own origin", () => {
    const target = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.webPath(),
      fc.webUrl(),
      fc.string().map((s) => `/twilio/${s}`),
      fc.string().map((s) => `/widget?${s}`),
    );
    fc.assert(
      fc.property(target, (t) => {
        const h = readHandshake(t);
        if (h.kind !== "twilio") return;
        expect(new URL(signedStreamUrl(h.path, "wss://relay.bvrai.test", undefined)).origin).toBe(
          "wss://relay.bvrai.test",
        );
        expect(h.account === null || /^AC[0-9a-f]{32}$/i.test(h.account)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("a close reason", () => {
  it("always fits WebSocket's 123 bytes, and is a prefix of what was meant", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (reason) => {
        const fitted = closeReason(reason);
        expect(Buffer.byteLength(fitted)).toBeLessThanOrEqual(123);
        expect(reason.startsWith(fitted)).toBe(true);
      }),
    );
  });
});
