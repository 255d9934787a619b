import { describe, expect, it } from "vitest";
import app from "./index";

// The edge as deployed, in-process: no Upstash settings, so its per-isolate windows; the origin is
// a closed port, so a request the limits let through is answered 503 by the proxy.
const env = {
  DATABASE_URL: "postgres://nobody@127.0.0.1:1/none",
  RELAY_PUBLIC_URL: "ws://127.0.0.1:1",
  ORIGIN_URL: "http://127.0.0.1:1",
  EDGE_ORIGIN_SECRET: `edge-${crypto.randomUUID()}`,
  RATE_LIMIT_AUTH_PER_IP_PER_MINUTE: "1",
  RATE_LIMIT_AUTH_PER_ACCOUNT_PER_MINUTE: "1",
  RATE_LIMIT_TWILIO_PER_MINUTE: "1",
};
const post = (path: string, ip: string, body = "", bindings: Record<string, string> = env) =>
  app.request(
    path,
    { method: "POST", headers: { "cf-connecting-ip": ip, "content-type": "application/x-www-form-urlencoded" }, body },
    bindings,
  );

describe("the edge's per-address limits", () => {
  it("count an IPv6 client by its /64, and an IPv4-mapped address as the IPv4 address", async () => {
    expect((await post("/signup", "2001:db8:aa:1::1")).status).toBe(503);
    // Another address in the same /64 (written differently) is the same client.
    expect((await post("/signup", "2001:0DB8:00aa:0001:ffff:1:2:3")).status).toBe(429);
    expect((await post("/signup", "2001:db8:aa:2::1")).status).toBe(503);
    expect((await post("/signup", "::ffff:198.51.100.7")).status).toBe(503);
    expect((await post("/signup", "198.51.100.7")).status).toBe(429);
  });

  it("Twilio webhooks too", async () => {
    // Unsigned: refused at the signature (403) once the limit lets it in.
    expect((await post("/twilio/status", "2001:db8:bb:1::1")).status).toBe(403);
    expect((await post("/twilio/status", "2001:db8:bb:1::2")).status).toBe(429);
  });

  it("limit an account per network, so guesses from elsewhere do not lock its owner out", async () => {
    const roomy = { ...env, RATE_LIMIT_AUTH_PER_IP_PER_MINUTE: "100" };
    const form = `email=owner-${crypto.randomUUID()}@example.com&password=x`;
    expect((await post("/login", "203.0.113.10", form, roomy)).status).toBe(503);
    expect((await post("/login", "203.0.113.10", form, roomy)).status).toBe(429);
    // The owner, elsewhere, still gets through to the origin.
    expect((await post("/login", "198.51.100.20", form, roomy)).status).toBe(503);
  });
});
