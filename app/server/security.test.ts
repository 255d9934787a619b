import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { sameOriginWrites, securityHeaders } from "./security";

function app(production: boolean) {
  const a = new Hono();
  a.use(securityHeaders({ production }));
  a.use(sameOriginWrites({ exempt: ["/api/"] }));
  a.all("*", (c) => c.text("ok"));
  return a;
}

describe("portal security headers", () => {
  it("send a nonce CSP that forbids framing, fresh per response", async () => {
    const [r1, r2] = [await app(false).request("/login"), await app(false).request("/login")];
    const csp = r1.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(r2.headers.get("content-security-policy")).not.toBe(csp);
    expect(r1.headers.get("x-frame-options")).toBe("DENY");
    expect(r1.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("add HSTS and drop development allowances only in production", async () => {
    const dev = await app(false).request("/");
    const prod = await app(true).request("/");
    expect(dev.headers.get("strict-transport-security")).toBeNull();
    expect(prod.headers.get("strict-transport-security")).toMatch(/max-age=\d{8}; includeSubDomains/);
    expect(prod.headers.get("content-security-policy")).not.toContain("unsafe-inline");
    expect(prod.headers.get("content-security-policy")).not.toContain("ws:");
  });
});

describe("same-origin check on state-changing requests", () => {
  const post = (path: string, headers: Record<string, string>) =>
    app(false).request(`http://portal.test${path}`, {
      method: "POST",
      headers: { host: "portal.test", ...headers },
      body: "x=1",
    });

  it("refuses a cross-site form post by Sec-Fetch-Site or by Origin", async () => {
    expect((await post("/agents/new", { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await post("/agents/new", { "sec-fetch-site": "same-site" })).status).toBe(403);
    expect((await post("/agents/new", { origin: "https://evil.example" })).status).toBe(403);
    expect((await post("/agents/new", { origin: "null" })).status).toBe(403);
    expect((await post("/agents/new", { origin: "not a url" })).status).toBe(403);
  });

  it("lets same-origin writes, reads and exempt paths through", async () => {
    expect((await post("/agents/new", { "sec-fetch-site": "same-origin", origin: "http://portal.test" })).status).toBe(
      200,
    );
    expect((await post("/agents/new", {})).status).toBe(200);
    expect((await app(false).request("/agents", { headers: { "sec-fetch-site": "cross-site" } })).status).toBe(200);
    expect((await post("/api/v1/agents", { origin: "https://integrator.example" })).status).toBe(200);
  });
});
