import { describe, expect, it } from "vitest";
import { encodeBase64url, hmac, utf8 } from "../bytes";
import { signForOrigin, verifyFromEdge } from "./origin-signature";

const secret = "edge-origin-secret-for-tests-0123456789";
const req = { method: "POST", path: "/api/v1/agents?x=1", requestId: "req-1", body: utf8('{"name":"Front desk"}') };

describe("edge → origin signatures", () => {
  it("verify for the same request within a minute", async () => {
    const header = await signForOrigin(secret, req);
    expect(await verifyFromEdge(secret, header, req)).toBe(true);
    expect(await verifyFromEdge(secret, header, req, Date.now() + 58_000)).toBe(true); // the header holds whole seconds
    const empty = { ...req, method: "GET", body: new Uint8Array(0) };
    expect(await verifyFromEdge(secret, await signForOrigin(secret, empty), empty)).toBe(true);
  });

  it("fail for another secret, path, method, request id or body, when stale, and when malformed", async () => {
    const header = await signForOrigin(secret, req);
    expect(await verifyFromEdge(`${secret}x`, header, req)).toBe(false);
    expect(await verifyFromEdge(secret, header, { ...req, path: "/api/v1/agents" })).toBe(false);
    expect(await verifyFromEdge(secret, header, { ...req, method: "GET" })).toBe(false);
    expect(await verifyFromEdge(secret, header, { ...req, requestId: "req-2" })).toBe(false);
    // The body under a valid signature swapped, cut short, extended, or one bit flipped.
    for (const body of [
      utf8('{"name":"Evil desk"}'),
      req.body.slice(0, -1),
      utf8('{"name":"Front desk"} '),
      req.body.map((b, i) => (i === 3 ? b ^ 1 : b)),
      new Uint8Array(0),
    ]) {
      expect(await verifyFromEdge(secret, header, { ...req, body })).toBe(false);
    }
    expect(await verifyFromEdge(secret, header, req, Date.now() + 120_000)).toBe(false);
    for (const bad of [undefined, "", "t=1,v2=abc", header.replace("v2=", "v1=")])
      expect(await verifyFromEdge(secret, bad, req)).toBe(false);
  });
});

describe("the older signature (v1, no body digest), while a deploy rolls out", () => {
  /** What the previous release's edge sends. */
  const v1 = async (t: number) =>
    `t=${t},v1=${encodeBase64url(await hmac("SHA-256", secret, utf8(`${t}\n${req.method}\n${req.path}\n${req.requestId}`)))}`;

  it("is taken only before the configured instant, never by default", async () => {
    const now = Date.now();
    const header = await v1(Math.floor(now / 1000));
    expect(await verifyFromEdge(secret, header, req, now)).toBe(false);
    expect(await verifyFromEdge(secret, header, req, now, { v1Until: new Date(now + 60_000) })).toBe(true);
    expect(await verifyFromEdge(secret, header, req, now, { v1Until: new Date(now - 1) })).toBe(false);
    // Within the window it still binds method, path and request id.
    expect(
      await verifyFromEdge(secret, header, { ...req, path: "/api/v1/keys" }, now, { v1Until: new Date(now + 60_000) }),
    ).toBe(false);
  });
});
