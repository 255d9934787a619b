import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { getRequestListener } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebApp } from "../../app/server/app";
import { CLIENT_CLOSED } from "../../app/server/observe";
import { startTelemetry } from "../../core/telemetry";
import { eventually } from "../support/wait";

/**
 * A browser that cancels a request (a prefetch it no longer needs, a navigation superseded) makes
 * Remix throw inside the loader it was running. That answer reaches no one: it must not count as a
 * server failure (the newcomer's walk saw such a 500 and failed on it, intermittently).
 */
const lines: Record<string, unknown>[] = [];
let server: Server;
let url = "";
let handlerEntered: () => void = () => {};
let handlerSawAbort: () => void = () => {};

beforeAll(async () => {
  const destination = new Writable({
    write(chunk, _e, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  startTelemetry("web", { NODE_ENV: "test", LOG_LEVEL: "info" }, { destination });
  const web = createWebApp({
    production: false,
    clientIp: () => "127.0.0.1",
    // As Remix does: a loader still running when its request is aborted ends in a thrown error.
    handle: async (req) => {
      if (new URL(req.url).pathname === "/broken") throw new Error("a real failure");
      handlerEntered();
      await new Promise<void>((resolve) => req.signal.addEventListener("abort", () => resolve(), { once: true }));
      handlerSawAbort();
      throw new Error("request aborted");
    },
  });
  server = createServer(getRequestListener(web.fetch));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server?.close());

const requestLine = (path: string) => lines.find((l) => l.msg === "request" && l.path === path);

describe("a request its client cancelled", () => {
  it("is logged as 499, not as a server error; a real failure is still a 500", async () => {
    const entered = new Promise<void>((r) => (handlerEntered = r));
    const aborted = new Promise<void>((r) => (handlerSawAbort = r));
    const req = request(`${url}/calls/prefetched.data`);
    req.on("error", () => undefined);
    req.end();
    await entered;
    req.destroy();
    await aborted;
    await eventually(async () => Boolean(requestLine("/calls/prefetched.data")), 10_000, "the request's log line");
    expect(requestLine("/calls/prefetched.data")).toMatchObject({ status: CLIENT_CLOSED });

    expect((await fetch(`${url}/broken`)).status).toBe(500);
    await eventually(async () => Boolean(requestLine("/broken")), 10_000, "the failure's log line");
    expect(requestLine("/broken")).toMatchObject({ status: 500 });
  });
});
