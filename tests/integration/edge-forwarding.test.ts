import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createWebApp } from "../../app/server/app";
import { MAX_FORWARDED_BODY_BYTES } from "../../core/edge/limits";
import { rawRequest, requestBytes } from "../support/raw-http";
import { startStack } from "../support/stack";

/**
 * The edge forwards only to its origin (issue 18, item 4), and the origin takes only the body the
 * edge signed (item 14). An "attacker" server that must never be reached stands beside the origin.
 */
const EDGE_SECRET = `edge-origin-${crypto.randomUUID()}`;
let stack: Awaited<ReturnType<typeof startStack>>;
let origin: Server;
let attacker: Server;
let attackerHost = "";
let originHost = "";
let attackerConnections = 0;
/** What reached the portal's handler: method, path and query, the body's SHA-256, and the hop's headers. */
const seen: { method: string; path: string; sha256: string; headers: Record<string, string> }[] = [];
let stream: ReadableStreamDefaultController<Uint8Array> | undefined;

const listen = async (s: Server) => {
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  return `127.0.0.1:${(s.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  attacker = createServer((_, res) => res.end("pwned"));
  attacker.on("connection", () => attackerConnections++);
  attackerHost = await listen(attacker);
  origin = createServer();
  originHost = await listen(origin);
  stack = await startStack({
    appUrl: inject("appUrl"),
    jobs: false,
    bindings: { ORIGIN_URL: `http://${originHost}`, EDGE_ORIGIN_SECRET: EDGE_SECRET, RATE_LIMITS: "off" },
  });
  const web = createWebApp({
    production: false,
    edgeSecret: EDGE_SECRET,
    clientIp: () => "127.0.0.1",
    handle: async (request) => {
      const url = new URL(request.url);
      const body = Buffer.from(await request.arrayBuffer());
      seen.push({
        method: request.method,
        path: url.pathname + url.search,
        sha256: createHash("sha256").update(body).digest("hex"),
        headers: Object.fromEntries(request.headers),
      });
      if (url.pathname === "/events") {
        const events = new ReadableStream<Uint8Array>({
          start: (c) => {
            stream = c;
            c.enqueue(new TextEncoder().encode("data: first\n\n"));
          },
        });
        return new Response(events, { headers: { "content-type": "text/event-stream" } });
      }
      return new Response(`portal ${url.pathname}`);
    },
  });
  origin.on("request", getRequestListener(web.fetch));
});
afterAll(async () => {
  await stack?.stop();
  origin?.close();
  attacker?.close();
});

const edge = () => stack.edgeUrl;
/** Raw requests go to the worker itself (see startStack). */
const direct = () => stack.edgeDirectUrl;
const secrets: [string, string][] = [
  ["Cookie", "bvrai_session=secret-session"],
  ["Authorization", "Bearer sk_live_secret"],
];

describe("client input never chooses the host", () => {
  it("paths that name another host reach the origin, with the caller's credentials, and nowhere else", async () => {
    const tricks = [
      `//${attackerHost}/x`,
      `/\\${attackerHost}/x`,
      `///${attackerHost}/x`,
      `/..//${attackerHost}/x`,
      `/a/../..//${attackerHost}/x`,
      `/%2e%2e//${attackerHost}/x`,
      `/%2F%2F${attackerHost}/x`,
      `/%5C${attackerHost}/x`,
      `/@${attackerHost}/x`,
      `/\t//${attackerHost}/x`,
    ];
    for (const target of tricks) {
      const res = await rawRequest(direct(), [
        requestBytes("GET", target, [["Host", new URL(direct()).host], ...secrets]),
      ]);
      expect(res.status, target).toBe(200);
      expect(seen.at(-1)!.path.startsWith("//"), target).toBe(false);
    }
    expect(seen.at(0)).toMatchObject({
      path: `/${attackerHost}/x`,
      headers: { cookie: "bvrai_session=secret-session" },
    });
    expect(attackerConnections).toBe(0);
  });

  it("for any request target, nothing reaches another host, and what reaches the origin verifies (the path signed is the path it reads)", async () => {
    const tricks = fc.constantFrom(
      "/",
      "//",
      "\\",
      "/\\",
      "%2F",
      "%5C",
      "%2e",
      "..",
      ".",
      "@",
      ":",
      "%",
      "%zz",
      "%00",
      "?",
      "#",
      "\t",
      "ä",
      "\uff0f",
      attackerHost,
      `//${attackerHost}`,
      `http://${attackerHost}`,
    );
    const target = fc
      .array(fc.oneof(tricks, fc.webPath(), fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 8 })
      .map((p) => `/${p.join("")}`.replace(/[ \r\n]/g, ""));
    await fc.assert(
      fc.asyncProperty(target, async (t) => {
        const before = seen.length;
        const res = await rawRequest(direct(), [
          requestBytes("GET", t, [["Host", new URL(direct()).host], ...secrets]),
        ]);
        expect(attackerConnections).toBe(0);
        // Forwarded and verified (the portal answered), or refused by the runtime as malformed; never a 403 or a 5xx.
        expect([200, 400]).toContain(res.status);
        if (res.status === 200) expect(seen.length).toBe(before + 1);
      }),
      { numRuns: 60 },
    );
  });
});

describe("the signature covers the body", () => {
  it("bodies arrive as sent, up to the cap, including a 5 MB document upload; a body the edge did not sign is refused", async () => {
    const json = JSON.stringify({ name: "Front desk", note: "ünïcödé" });
    const res = await fetch(new URL("/agents/new", edge()), {
      method: "POST",
      headers: { "content-type": "application/json", "sec-fetch-site": "same-origin" },
      body: json,
    });
    expect(res.status).toBe(200);
    const got = seen.at(-1)!;
    expect(got.sha256).toBe(createHash("sha256").update(json).digest("hex"));

    const upload = new FormData();
    upload.set("intent", "upload");
    upload.set("file", new File([Buffer.alloc(5 * 1024 * 1024, "a")], "manual.txt", { type: "text/plain" }));
    const up = await fetch(new URL("/knowledge/kb1", edge()), {
      method: "POST",
      headers: { "sec-fetch-site": "same-origin" },
      body: upload,
    });
    expect(up.status).toBe(200);

    // The same signed request sent straight to the origin with another body: refused.
    const direct = await fetch(`http://${originHost}${got.path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-bvrai-edge": got.headers["x-bvrai-edge"]!,
        "x-request-id": got.headers["x-request-id"]!,
      },
      body: JSON.stringify({ name: "Evil desk", note: "ünïcödé" }),
    });
    expect(direct.status).toBe(403);
  });

  it("a body over the cap gets a clear 413 from the edge, declared or chunked, and never reaches the origin", async () => {
    const before = seen.length;
    const host: [string, string] = ["Host", new URL(direct()).host];
    const over = Buffer.alloc(MAX_FORWARDED_BODY_BYTES + 1, "a");
    const declared = await rawRequest(direct(), [
      requestBytes("POST", "/knowledge/kb1", [host, ["Content-Length", String(over.length)]]),
      over,
    ]);
    expect(declared.status).toBe(413);
    expect(declared.status === 413 && JSON.parse(declared.body.toString()).error).toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      message: "Request bodies are limited to 10 MB.",
    });
    const chunk = Buffer.alloc(1024 * 1024, "b");
    const chunks = Array.from({ length: 11 }, () =>
      Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]),
    );
    const chunked = await rawRequest(direct(), [
      requestBytes("POST", "/knowledge/kb1", [host, ["Transfer-Encoding", "chunked"]]),
      ...chunks,
      "0\r\n\r\n",
    ]);
    expect(chunked.status).toBe(413);
    expect(seen.length).toBe(before);
  });

  it("what the origin could not take gets a clear 4xx from the edge, never an outage: a long path 414, oversized headers 431; an oversized request id is replaced", async () => {
    const before = seen.length;
    const host: [string, string] = ["Host", new URL(direct()).host];
    const long = await rawRequest(direct(), [requestBytes("GET", `/calls?q=${"a".repeat(9000)}`, [host])]);
    expect(long.status === 414 && JSON.parse(long.body.toString()).error.code).toBe("URI_TOO_LONG");
    const upload = Buffer.alloc(2_000_000, "a");
    const big = await rawRequest(direct(), [
      requestBytes(
        "POST",
        "/agents/new",
        [host, ["Cookie", `c=${"v".repeat(17_000)}`], ["Content-Length", String(upload.length)]],
        upload,
      ),
    ]);
    expect(big.status === 431 && JSON.parse(big.body.toString()).error.code).toBe("HEADERS_TOO_LARGE");
    expect(seen.length).toBe(before);
    const res = await rawRequest(direct(), [
      requestBytes("GET", "/calls", [host, ["x-request-id", "r".repeat(20_000)]]),
    ]);
    expect(res.status).toBe(200);
    expect(res.status === 200 && res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen.at(-1)!.headers["x-request-id"]).toBe(res.status === 200 ? res.headers["x-request-id"] : "");
  });

  it("responses still stream: an event stream's first event arrives while the origin holds it open", async () => {
    const res = await fetch(new URL("/events", edge()));
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: first\n\n");
    stream!.enqueue(new TextEncoder().encode("data: second\n\n"));
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: second\n\n");
    stream!.close();
    expect((await reader.read()).done).toBe(true);
  });
});
