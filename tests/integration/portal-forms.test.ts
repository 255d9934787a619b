import { createServer, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { configurePortal } from "../support/portal";

let server: Server;
let port = 0;
let web: { fetch: (r: Request) => Response | Promise<Response> };
let portal: Awaited<ReturnType<typeof configurePortal>>;

beforeAll(async () => {
  portal = await configurePortal({ appUrl: inject("appUrl") });
  const { createWebApp } = await import("../../app/server/app");
  const login = await import("../../app/routes/login");
  // The portal's server with the real sign-in route behind it (Remix would call the same action).
  web = createWebApp({
    production: false,
    clientIp: () => "203.0.113.50",
    handle: async (request) => {
      try {
        const out = await login.action({ request, params: {}, context: { cspNonce: "" } });
        return out instanceof Response ? out : new Response("answered", { status: 200 });
      } catch (thrown) {
        if (thrown instanceof Response) return thrown;
        throw thrown;
      }
    },
  });
  server = createServer(getRequestListener(web.fetch));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => server?.close(() => r()));
  await (await import("../../app/utils/db.server")).db().$pool.end();
  portal?.restore();
});

/** A raw HTTP/1.1 exchange: sends `head`, then what `drip` writes until the server answers. */
function exchange(head: string, drip?: (write: (b: Buffer) => boolean) => Promise<void>) {
  return new Promise<{ answer: string; sentBodyBytes: number }>((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    let answered = false;
    let sentBodyBytes = 0;
    socket.on("error", (err) => (answered ? undefined : reject(err)));
    socket.on("data", (d) => {
      answer += d.toString("latin1");
      answered = true;
    });
    socket.on("close", () => resolve({ answer, sentBodyBytes }));
    // A server that keeps the connection open after answering: read what it said, then hang up.
    socket.setTimeout(5000, () => socket.destroy());
    socket.write(head);
    void drip?.((b) => {
      if (answered || socket.destroyed) return false;
      sentBodyBytes += b.length;
      socket.write(b);
      return true;
    });
  });
}

describe("an unauthenticated form post (sign-in)", () => {
  it("is refused with 413 on its Content-Length alone, before any of the body is sent", async () => {
    const head =
      "POST /login HTTP/1.1\r\nHost: portal.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 104857600\r\n\r\n";
    const { answer, sentBodyBytes } = await exchange(head);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain("at most 16 KB");
    expect(sentBodyBytes).toBe(0);
  });

  it("is refused with 413 when streamed slowly without a length, while the body is still arriving, and the connection closes", async () => {
    const head =
      "POST /login HTTP/1.1\r\nHost: portal.test\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n";
    const chunk = Buffer.from(`1000\r\n${"a".repeat(0x1000)}\r\n`);
    const whole = 1024 * 1024;
    const { answer, sentBodyBytes } = await exchange(head, async (write) => {
      // 1 MB, a little at a time; it stops as soon as the server answers.
      for (let sent = 0; sent < whole; sent += chunk.length) {
        if (!write(chunk)) return;
        await new Promise((r) => setTimeout(r, 1));
      }
      console.log("drip done", Date.now());
      write(Buffer.from("0\r\n\r\n"));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.toLowerCase()).toContain("connection: close");
    expect(sentBodyBytes).toBeGreaterThan(16 * 1024);
  });

  it("is refused with 413 when its Content-Length understates the body", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (pulled >= 1024 * 1024) return controller.close();
          pulled += 4096;
          controller.enqueue(new Uint8Array(4096).fill(0x61));
        },
      },
      { highWaterMark: 0 },
    );
    const request = new Request("http://portal.test/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "content-length": "20" },
      body,
      duplex: "half",
    } as RequestInit);
    const res = await web.fetch(request);
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(16 * 1024 + 4096);
  });

  it("of ordinary size still reaches the sign-in action", async () => {
    const res = await web.fetch(
      new Request("http://portal.test/login", {
        method: "POST",
        body: new URLSearchParams({ email: "nobody@example.com", password: "x" }),
      }),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("answered");
  });
});
