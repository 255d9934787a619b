import { createServer, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HostileServer, outcomeOf, startHostileServer } from "../../tests/support/hostile-servers";
import { eventually } from "../../tests/support/wait";
import { type Allow, guardedRequest, resolvePublic } from "./guarded-request";

const local = ["127.0.0.1", "::1"];
const limits = { deadlineMs: 400, maxBytes: 2048 };
const get = (url: string, allow: Allow = local, l = limits) =>
  guardedRequest(url, { method: "GET", headers: {}, allow }, l);

let drip: HostileServer;
let silent: HostileServer;
let endless: HostileServer;
let target: HostileServer;
let redirect: HostileServer;

beforeAll(async () => {
  drip = await startHostileServer({ mode: "drip", intervalMs: 20 });
  silent = await startHostileServer({ mode: "silent" });
  endless = await startHostileServer({ mode: "endless" });
  target = await startHostileServer({ mode: "drip" });
  redirect = await startHostileServer({ mode: "redirect", location: `${target.url}/inside` });
});
afterAll(async () => {
  await Promise.all([drip, silent, endless, target, redirect].map((s) => s?.stop()));
});

describe("a request to a tenant's URL", () => {
  it("ends at its deadline while the answer drips a byte at a time, and hangs up", async () => {
    expect(await outcomeOf(get(`${drip.url}/slow`))).toBe("timeout");
    await eventually(async () => drip.openConnections() === 0, 5000, "the dripping connection to be closed");
  });

  it("ends at its deadline when no answer comes at all", async () => {
    expect(await outcomeOf(get(`${silent.url}/nothing`))).toBe("timeout");
    await eventually(async () => silent.openConnections() === 0, 5000, "the silent connection to be closed");
  });

  it("keeps the first bytes of an endless answer and closes the connection", async () => {
    const res = await get(`${endless.url}/forever`, local, { deadlineMs: 5000, maxBytes: 3000 });
    expect(res).toMatchObject({ status: 200, truncated: true });
    expect(res.body.length).toBe(3000);
    await eventually(async () => endless.openConnections() === 0, 5000, "the endless connection to be closed");
  });

  it("refuses a private address unless allowed, and sends nothing there", async () => {
    const before = target.requests.length;
    await expect(get(`http://localhost:${target.port}/x`, [])).rejects.toThrow(
      /resolves to (127\.0\.0\.1|::1), a loopback address/,
    );
    await expect(get(`http://[::ffff:127.0.0.1]:${target.port}/x`, [])).rejects.toThrow(/IPv4-mapped loopback/);
    await expect(get(`http://[64:ff9b::7f00:1]:${target.port}/x`, [])).rejects.toThrow(/NAT64 loopback/);
    await expect(get(`http://0x7f.1:${target.port}/x`, [])).rejects.toThrow(/loopback/);
    expect(target.requests.length).toBe(before);
  });

  it("keeps the name in the Host header while connecting to the address it checked", async () => {
    await outcomeOf(get(`http://localhost:${target.port}/named`));
    expect(target.requests.find((r) => r.path === "/named")?.host).toBe(`localhost:${target.port}`);
  });

  it("does not follow a redirect (the next hop is never reached, checked or not)", async () => {
    const before = target.requests.length;
    const res = await get(`${redirect.url}/hop`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`${target.url}/inside`);
    expect(target.requests.length).toBe(before);
  });

  it("refuses other schemes, credentials, non-URLs and names that do not resolve, before any connection", async () => {
    await expect(resolvePublic("ftp://example.com/", "any")).rejects.toThrow(/http or https/);
    await expect(resolvePublic("https://u:p@example.com/", "any")).rejects.toThrow(/user name/);
    await expect(resolvePublic("not a url", "any")).rejects.toThrow(/valid URL/);
    await expect(resolvePublic("https://nothing.invalid/", "any")).rejects.toMatchObject({
      kind: "unresolvable",
      withoutHost: "the host does not resolve",
    });
    await expect(resolvePublic("http://169.254.169.254/latest/meta-data", undefined)).rejects.toMatchObject({
      kind: "refused",
      withoutHost: "the host resolves to 169.254.169.254, a link-local address",
    });
    expect(await resolvePublic("http://127.0.0.1:4000/hook", "any")).toMatchObject({ address: "127.0.0.1", family: 4 });
  });

  it("survives what is not HTTP: headers that drip, headers without end, binary garbage", async () => {
    const sockets = new Set<Socket>();
    const timers = new Set<ReturnType<typeof setInterval>>();
    let mode: "drip-headers" | "huge-headers" | "garbage" = "drip-headers";
    const raw = createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => sockets.delete(socket));
      socket.once("data", () => {
        if (mode === "drip-headers") {
          socket.write("HTTP/1.1 200 OK\r\nX-Slow: ");
          const t = setInterval(() => socket.write("a"), 20);
          timers.add(t);
          socket.on("close", () => clearInterval(t));
        } else if (mode === "huge-headers") socket.write(`HTTP/1.1 200 OK\r\nX-Big: ${"a".repeat(100_000)}\r\n\r\n`);
        else socket.end(Buffer.from([0, 1, 2, 255, 254, 13, 10, 13, 10]));
      });
    });
    await new Promise<void>((r) => raw.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(raw.address() as { port: number }).port}/`;
    try {
      expect(await outcomeOf(get(url))).toBe("timeout");
      mode = "huge-headers";
      expect(await outcomeOf(get(url))).toBe("network");
      mode = "garbage";
      expect(await outcomeOf(get(url))).toBe("network");
      await eventually(async () => sockets.size === 0, 5000, "every raw connection to be closed");
    } finally {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      await new Promise((r) => raw.close(r));
    }
  });
});
