import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApi } from "../../app/api/app";
import { createWebApp } from "../../app/server/app";
import { telephonyFrom } from "../../app/telephony/numbers.server";
import { apiScopes } from "../../core/crypto/api-key";
import { createPiiCipher, generatePiiKey } from "../../core/crypto/pii";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { createApiKey } from "../../db/queries/api-keys";
import { createWebhookEndpoint } from "../../db/queries/webhook-endpoints";
import { testApiServices } from "../support/api";
import { rawRequest, requestBytes } from "../support/raw-http";
import { seedTenant } from "../support/seed";

/** What tests/integration/fuzz-http.test.ts found at the Node origin, each pinned by hand. */
let db: NodeDb;
let api: ReturnType<typeof createApi>;
let server: Server;
let url = "";
const pii = createPiiCipher({ keys: generatePiiKey("fuzz"), blindIndexKey: "fuzz-index" });

beforeAll(async () => {
  db = createNodeDb(inject("appUrl"), { max: 3 });
  api = createApi(testApiServices(telephonyFrom({}, db, pii)));
  server = createServer(
    getRequestListener(
      createWebApp({
        production: false,
        api,
        clientIp: () => "127.0.0.1",
        handle: async () => new Response("portal page"),
      }).fetch,
    ),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  server?.close();
  await db?.$pool.end();
});

const keyed = async () => {
  const t = await seedTenant(inject("ownerUrl"));
  const { key } = await createApiKey(db, {
    tenantId: t.tenantId,
    name: "fuzz",
    scopes: [...apiScopes],
    actor: { userId: null, ip: null },
  });
  return {
    t,
    as: (init: RequestInit = {}) => ({
      ...init,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    }),
  };
};

describe("the REST API", () => {
  it("a body that is not JSON is a 400 with the error shape, not a 500", async () => {
    const { as } = await keyed();
    for (const body of ["", "{", "[1,2", "\u00ff\u00fe"]) {
      const res = await api.request("/agents", as({ method: "POST", body }));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error).toMatchObject({
        code: "BAD_REQUEST",
        message: "Malformed JSON in request body",
      });
    }
  });

  it("an empty PATCH changes nothing and answers the resource, not a 500", async () => {
    const { t, as } = await keyed();
    const endpoint = await createWebhookEndpoint(db, pii, {
      tenantId: t.tenantId,
      url: "https://hooks.example.com/bvrai",
      events: [],
      actor: { userId: null, ip: null },
    });
    const res = await api.request(`/webhooks/${endpoint.id}`, as({ method: "PATCH", body: "{}" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: endpoint.id, url: "https://hooks.example.com/bvrai", enabled: true });
    expect((await api.request(`/webhooks/${crypto.randomUUID()}`, as({ method: "PATCH", body: "{}" }))).status).toBe(
      404,
    );
  });
});

describe("the portal's server", () => {
  it("refuses a method fetch cannot carry (TRACE) with 405 on every path, not a 500", async () => {
    for (const path of ["/", "/api/v1/agents", "/login"]) {
      const res = await rawRequest(url, [
        requestBytes("TRACE", path, [
          ["Host", new URL(url).host],
          ["Content-Length", "0"],
        ]),
      ]);
      expect(res.status, path).toBe(405);
    }
    // TRACK and CONNECT never reach the application: Node's parser answers them itself.
    for (const [method, path] of [
      ["TRACK", "/"],
      ["CONNECT", "127.0.0.1:1"],
    ] as const) {
      const res = await rawRequest(url, [requestBytes(method, path, [["Host", "127.0.0.1:1"]])]);
      expect(res.status === null || res.status < 500, method).toBe(true);
    }
  });

  it("keeps a caller's request id only when it looks like one; anything else is replaced, not echoed", async () => {
    const id = (res: Response) => res.headers.get("x-request-id");
    expect(id(await api.request("/agents", { headers: { "x-request-id": "req-1.a:b_c" } }))).toBe("req-1.a:b_c");
    for (const bad of ["x".repeat(129), "two words", "<script>", "ünï"]) {
      const res = await api.request("/agents", { headers: { "x-request-id": bad } });
      expect(id(res)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
