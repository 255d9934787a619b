import { describe, expect, it } from "vitest";
import { signForOrigin, verifyFromEdge } from "./origin-signature";

const secret = "edge-origin-secret-for-tests-0123456789";
const req = { method: "POST", path: "/api/v1/agents?x=1", requestId: "req-1" };

describe("edge → origin signatures", () => {
  it("verify for the same request within a minute", async () => {
    const header = await signForOrigin(secret, req);
    expect(await verifyFromEdge(secret, header, req)).toBe(true);
    expect(await verifyFromEdge(secret, header, req, Date.now() + 58_000)).toBe(true); // the header holds whole seconds
  });

  it("fail for another secret, path, method or request id, when stale, and when malformed", async () => {
    const header = await signForOrigin(secret, req);
    expect(await verifyFromEdge(`${secret}x`, header, req)).toBe(false);
    expect(await verifyFromEdge(secret, header, { ...req, path: "/api/v1/agents" })).toBe(false);
    expect(await verifyFromEdge(secret, header, { ...req, method: "GET" })).toBe(false);
    expect(await verifyFromEdge(secret, header, { ...req, requestId: "req-2" })).toBe(false);
    expect(await verifyFromEdge(secret, header, req, Date.now() + 120_000)).toBe(false);
    for (const bad of [undefined, "", "t=1,v1=abc", header.replace("v1=", "v2=")]) expect(await verifyFromEdge(secret, bad, req)).toBe(false);
  });
});
