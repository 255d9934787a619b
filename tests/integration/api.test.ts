import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApi } from "../../app/api/app";
import { folderStore } from "../../app/recordings/object-store.server";
import { putRecording } from "../../app/recordings/recordings.server";
import { createWebApp } from "../../app/server/app";
import { telephonyFrom } from "../../app/telephony/numbers.server";
import { readOutbox } from "../../app/utils/mail-transports.server";
import type { ApiScope } from "../../core/crypto/api-key";
import { createPiiCipher, generatePiiKey } from "../../core/crypto/pii";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { createApiKey, revokeApiKey } from "../../db/queries/api-keys";
import { createCampaign } from "../../db/queries/campaigns";
import { sweepIdempotencyKeys } from "../../db/queries/idempotency";
import { routeInboundCall } from "../../db/queries/inbound-calls";
import { addDoNotCall, listDoNotCall } from "../../db/queries/outbound-calls";
import { createRun, createSuite } from "../../db/queries/test-suites";
import { createWebhookEndpoint } from "../../db/queries/webhook-endpoints";
import { startTwilioFake } from "../fakes/twilio/api";
import { testApiServices } from "../support/api";
import { ownerQuery, seedTenant, seedUser } from "../support/seed";

let db: NodeDb;
const pii = createPiiCipher({ keys: generatePiiKey("api"), blindIndexKey: "api-index" });
let api: ReturnType<typeof createApi>;
const recordingsDir = join(tmpdir(), `bvrai-api-recordings-${crypto.randomUUID()}`);
const recordings = folderStore(recordingsDir);
const outbox = join(tmpdir(), `bvrai-api-mail-${crypto.randomUUID()}`);
let twilioFake: Awaited<ReturnType<typeof startTwilioFake>>;
const actor = { userId: null, ip: null };
const allScopes: ApiScope[] = [
  "agents:read",
  "agents:write",
  "calls:read",
  "calls:write",
  "numbers:read",
  "numbers:write",
  "webhooks:read",
  "webhooks:write",
  "members:read",
  "members:write",
  "audit:read",
];
const main = { accountSid: `AC${crypto.randomUUID().replace(/-/g, "")}`, authToken: `main-${crypto.randomUUID()}` };

beforeAll(async () => {
  db = createNodeDb(inject("appUrl"), { max: 3 });
  twilioFake = await startTwilioFake(main);
  api = createApi(
    testApiServices(
      telephonyFrom(
        {
          TWILIO_ACCOUNT_SID: main.accountSid,
          TWILIO_AUTH_TOKEN: main.authToken,
          TWILIO_API_URL: twilioFake.url,
          EDGE_PUBLIC_URL: "https://edge.bvrai.test",
        },
        db,
        pii,
      ),
      { outbox, recordingsDir },
    ),
  );
});
afterAll(async () => {
  await twilioFake?.stop();
  await db?.$pool.end();
});

async function tenantWithData() {
  const t = await seedTenant(inject("ownerUrl"));
  const call = await routeInboundCall(db, pii, {
    to: t.number,
    from: "+14155550160",
    providerCallSid: `CA${crypto.randomUUID().replace(/-/g, "")}`,
    signer: "platform",
  });
  const key = await createApiKey(db, { tenantId: t.tenantId, name: "ci", scopes: allScopes, actor });
  const [number] = await ownerQuery<{ id: string }>(
    inject("ownerUrl"),
    "select id from phone_numbers where tenant_id = $1",
    [t.tenantId],
  );
  const campaign = await createCampaign(db, pii, {
    tenantId: t.tenantId,
    rows: [{ phone: "+14155552671", variables: { name: "B" }, timezone: "UTC", doNotCall: false }],
    settings: {
      name: "Reminders",
      agentId: t.agentId,
      fromNumberIds: [number!.id],
      windowStartMinute: 0,
      windowEndMinute: 1,
      defaultTimezone: "UTC",
      callsPerMinute: 1,
      maxConcurrent: 1,
      maxAttempts: 1,
      retryDelayMinutes: 60,
      machineDetection: "off",
      voicemailMessage: null,
    },
  });
  const endpoint = await createWebhookEndpoint(db, pii, {
    tenantId: t.tenantId,
    url: "https://hooks.example.com/bvrai",
    events: [],
    actor,
  });
  const [delivery] = await ownerQuery<{ id: string }>(
    inject("ownerUrl"),
    "insert into webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, payload, status) values ($1, $2, 'e1', 'call.ended', '{}', 'dead') returning id",
    [t.tenantId, endpoint.id],
  );
  await addDoNotCall(db, pii, { tenantId: t.tenantId, e164: "+14155550177" });
  const [dnc] = await listDoNotCall(db, pii, { tenantId: t.tenantId });
  const owner = await seedUser(inject("ownerUrl"), { tenantId: t.tenantId, role: "owner" });
  const member = await seedUser(inject("ownerUrl"), { tenantId: t.tenantId, role: "member" });
  const suite = await createSuite(db, { tenantId: t.tenantId, agentId: t.agentId, name: "Smoke", cases: [] });
  await ownerQuery(
    inject("ownerUrl"),
    "insert into agent_versions (tenant_id, agent_id, version, settings) values ($1, $2, 1, '{}')",
    [t.tenantId, t.agentId],
  );
  const run = await createRun(db, { tenantId: t.tenantId, agentId: t.agentId, suiteId: suite!.id });
  return {
    ...t,
    suiteId: suite!.id,
    runId: run!.id,
    callId: call.kind === "connect" ? call.callId : "",
    numberId: number!.id,
    campaignId: campaign.id,
    webhookId: endpoint.id,
    deliveryId: delivery!.id,
    dncId: dnc!.id,
    memberId: member.membershipId!,
    ownerMemberId: owner.membershipId!,
    key: key.key,
    keyId: key.id,
  };
}
const as = (key: string | null, init: RequestInit = {}) => ({
  ...init,
  headers: {
    ...(key ? { authorization: `Bearer ${key}` } : {}),
    "content-type": "application/json",
    ...(init.headers as Record<string, string>),
  },
});
/** Every endpoint, as the router has it (so a new one cannot be forgotten), with a valid body for writes. */
const endpoints = () =>
  api.routes
    .filter((r) => r.method !== "ALL" && !r.path.endsWith("openapi.json"))
    .map((r) => ({ method: r.method, path: r.path }));
const fill = (
  path: string,
  ids: {
    suiteId: string;
    runId: string;
    agentId: string;
    callId: string;
    numberId: string;
    campaignId: string;
    webhookId: string;
    deliveryId: string;
    dncId: string;
    memberId: string;
  },
) =>
  path
    .replace(/^\/members\/:id/, `/members/${ids.memberId}`)
    .replace(/^\/do-not-call\/:id/, `/do-not-call/${ids.dncId}`)
    .replace(/^\/webhooks\/:id/, `/webhooks/${ids.webhookId}`)
    .replace(/:deliveryId/, ids.deliveryId)
    .replace(/:version/, "1")
    .replace(/^\/agents\/:id/, `/agents/${ids.agentId}`)
    .replace(/^\/suites\/:id/, `/suites/${ids.suiteId}`)
    .replace(/^\/runs\/:id/, `/runs/${ids.runId}`)
    .replace(/^\/calls\/:id/, `/calls/${ids.callId}`)
    .replace(/^\/numbers\/:id/, `/numbers/${ids.numberId}`)
    .replace(/^\/campaigns\/:id/, `/campaigns/${ids.campaignId}`);
const widgetBody = {
  allowedOrigins: ["https://www.example.com"],
  buttonText: "Talk to us",
  color: "#4f46e5",
  textColor: "#ffffff",
  position: "bottom-right",
  maxConcurrentSessions: 2,
  maxSessionSeconds: 300,
  callsPerVisitorPerHour: 3,
};
/** A valid body for each write, so a refusal is about who asks, never about what was sent. */
const body = (method: string, path = "/agents") =>
  method === "PATCH"
    ? JSON.stringify(
        path.startsWith("/agents")
          ? { name: "Renamed" }
          : path.startsWith("/webhooks")
            ? { events: ["call.ended"] }
            : path.startsWith("/members")
              ? { role: "viewer" }
              : { friendlyName: "Front desk", agentId: "" },
      )
    : method === "PUT"
      ? JSON.stringify(widgetBody)
      : method !== "POST"
        ? undefined
        : path === "/webhooks"
          ? JSON.stringify({ url: "https://hooks.example.com/new" })
          : path === "/do-not-call"
            ? JSON.stringify({ number: "+14155550178" })
            : path === "/invitations"
              ? JSON.stringify({ email: `invitee-${crypto.randomUUID()}@example.com`, role: "member" })
              : path === "/calls"
                ? JSON.stringify({
                    fromNumberId: crypto.randomUUID(),
                    to: "+14155550111",
                    agentId: crypto.randomUUID(),
                  })
                : path === "/numbers"
                  ? JSON.stringify({ e164: "+14155550112" })
                  : path.endsWith("/status")
                    ? JSON.stringify({ status: "paused" })
                    : JSON.stringify({ name: "Night desk", systemPrompt: "Take messages." });

describe("the public REST API", () => {
  it("lists, reads and creates with a key, in one error shape, and documents every route", async () => {
    const t = await tenantWithData();
    const agents = await api.request("/agents", as(t.key));
    expect(agents.status).toBe(200);
    expect((await agents.json()).data).toMatchObject([{ id: t.agentId, name: "Receptionist", recordCalls: false }]);
    const created = await api.request("/agents", as(t.key, { method: "POST", body: body("POST") }));
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ name: "Night desk", firstMessage: "", model: "gpt-4o-mini" });
    const call = await (await api.request(`/calls/${t.callId}`, as(t.key))).json();
    expect(call).toMatchObject({ id: t.callId, direction: "inbound", from: "+14155550160", transcript: [] });
    expect((await (await api.request("/calls?from=%2B14155550160", as(t.key))).json()).data).toHaveLength(1);

    const bad = await api.request("/agents", as(t.key, { method: "POST", body: JSON.stringify({ name: "" }) }));
    expect(bad.status).toBe(400);
    const error = await bad.json();
    expect(error).toEqual({
      error: {
        code: "BAD_REQUEST",
        message: expect.stringMatching(/^name: /),
        requestId: bad.headers.get("x-request-id"),
      },
    });
    const huge = await api.request(
      "/agents",
      as(t.key, { method: "POST", body: JSON.stringify({ name: "x", systemPrompt: "y".repeat(300_000) }) }),
    );
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(
      await ownerQuery(inject("ownerUrl"), "select id from agents where tenant_id = $1", [t.tenantId]),
    ).toHaveLength(2); // the bad ones changed nothing

    const doc = await (await api.request("/openapi.json")).json();
    expect(doc.openapi).toBe("3.1.0");
    for (const e of endpoints())
      expect(
        doc.paths[e.path.replace(/:(\w+)/g, "{$1}")]?.[e.method.toLowerCase()],
        `${e.method} ${e.path} is missing from the OpenAPI document`,
      ).toBeDefined();

    // Mounted on the portal's server under /api/v1, outside the browser-only cross-site check.
    const web = createWebApp({
      production: false,
      handle: async () => new Response("portal", { status: 418 }),
      clientIp: () => "127.0.0.1",
      api,
    });
    expect((await web.request("/api/v1/agents", as(t.key))).status).toBe(200);
    expect(
      (
        await web.request(
          "/api/v1/agents",
          as(t.key, {
            method: "POST",
            body: body("POST"),
            headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
          }),
        )
      ).status,
    ).toBe(201);
  });

  it("every documented route: no key, a wrong key and a revoked key are 401, a missing scope 403 (replays too), another tenant's ids 404, and nothing of theirs changes", async () => {
    const a = await tenantWithData();
    const b = await tenantWithData();
    const revoked = await createApiKey(db, { tenantId: a.tenantId, name: "old", scopes: allScopes, actor });
    await revokeApiKey(db, { tenantId: a.tenantId, id: revoked.id, actor });
    const scopeless = await createApiKey(db, { tenantId: a.tenantId, name: "none", scopes: [], actor });
    const bTables = [
      "agents",
      "agent_versions",
      "phone_numbers",
      "calls",
      "campaigns",
      "campaign_rows",
      "webhook_endpoints",
      "webhook_deliveries",
      "widgets",
      "do_not_call",
      "memberships",
      "invitations",
      "api_keys",
      "idempotency_keys",
      "test_suites",
      "test_runs",
      "audit_log",
    ];
    const snapshot = () =>
      Promise.all(
        bTables.map((t) =>
          ownerQuery(inject("ownerUrl"), `select * from ${t} where tenant_id = $1 order by id`, [b.tenantId]),
        ),
      );
    const before = JSON.stringify(await snapshot());
    // What would give B away in an answer to A: B's ids and number, never echoed back.
    const bSecrets = [
      b.tenantId,
      b.number,
      b.agentId,
      b.callId,
      b.numberId,
      b.campaignId,
      b.webhookId,
      b.dncId,
      b.memberId,
      b.suiteId,
      b.runId,
    ];
    // The routes a client is told about are exactly the routes that answer.
    const doc = await (await api.request("/openapi.json")).json();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`),
    );
    expect(documented.sort()).toEqual([...new Set(endpoints().map((e) => `${e.method} ${e.path}`))].sort());
    const checked: string[] = [];
    for (const route of documented) {
      const [method, path] = route.split(" ") as [string, string];
      const send = (key: string | null, ids = b, headers: Record<string, string> = {}) =>
        api.request(fill(path, ids), as(key, { method, body: body(method, path), headers }));
      for (const key of [null, `bv_live_${"a".repeat(40)}`, revoked.key])
        expect((await send(key)).status, `${route} with key ${key}`).toBe(401);
      const denied = await send(scopeless.key);
      expect(denied.status, `${route} without its scope`).toBe(403);
      expect((await denied.json()).error.message).toMatch(/lacks the \w+:\w+ scope/);
      if (path.includes(":id")) {
        const res = await send(a.key);
        expect(res.status, `${route} with tenant B's id as tenant A`).toBe(404);
        const text = await res.text();
        for (const secret of [...bSecrets, "Receptionist"])
          expect(text, `${route} answered with B's ${secret}`).not.toContain(secret);
      }
      if (method === "POST") {
        // A key's stored answer is replayed only after its scope check: narrowed, the same retry is a 403.
        const k = await createApiKey(db, { tenantId: a.tenantId, name: `replay ${route}`, scopes: allScopes, actor });
        const idem = { "idempotency-key": `replay-${crypto.randomUUID()}` };
        await send(k.key, a, idem);
        await ownerQuery(inject("ownerUrl"), "update api_keys set scopes = '{}' where id = $1", [k.id]);
        const replay = await send(k.key, a, idem);
        expect(replay.status, `${route} replayed to a key without its scope`).toBe(403);
        expect(replay.headers.get("idempotent-replayed")).toBeNull();
      }
      checked.push(route);
    }
    expect(checked.length).toBeGreaterThanOrEqual(40);
    // B's ids inside a body (the agent to call with, the number to call from) are refused too.
    const foreignBodies: [string, string, object][] = [
      ["POST", "/calls", { fromNumberId: b.numberId, to: "+14155550111", agentId: a.agentId }],
      ["POST", "/calls", { fromNumberId: a.numberId, to: "+14155550111", agentId: b.agentId }],
      ["PATCH", `/numbers/${a.numberId}`, { friendlyName: "Front desk", agentId: b.agentId }],
      ["POST", "/numbers", { e164: "+14155550113", agentId: b.agentId }],
      [
        "POST",
        "/campaigns",
        {
          settings: {
            name: "X",
            agentId: b.agentId,
            fromNumberIds: [a.numberId],
            windowStart: "09:00",
            windowEnd: "17:00",
            defaultTimezone: "UTC",
            callsPerMinute: 1,
            maxConcurrent: 1,
            maxAttempts: 1,
            retryDelayMinutes: 30,
          },
          csv: "phone\n+14155550103\n",
        },
      ],
      [
        "POST",
        "/campaigns",
        {
          settings: {
            name: "X",
            agentId: a.agentId,
            fromNumberIds: [b.numberId],
            windowStart: "09:00",
            windowEnd: "17:00",
            defaultTimezone: "UTC",
            callsPerMinute: 1,
            maxConcurrent: 1,
            maxAttempts: 1,
            retryDelayMinutes: 30,
          },
          csv: "phone\n+14155550103\n",
        },
      ],
    ];
    for (const [method, path, sent] of foreignBodies) {
      const res = await api.request(path, as(a.key, { method, body: JSON.stringify(sent) }));
      expect([400, 404], `${method} ${path} naming B's ids`).toContain(res.status);
      const text = await res.text();
      for (const secret of bSecrets) expect(text).not.toContain(secret);
    }
    expect(
      await ownerQuery(inject("ownerUrl"), "select id from phone_numbers where tenant_id = $1 and agent_id = $2", [
        a.tenantId,
        b.agentId,
      ]),
    ).toEqual([]);
    expect(JSON.stringify(await snapshot())).toBe(before);
  });

  it("webhook endpoints: add (secret once), list, change, rotate, read deliveries, resend, delete; private URLs refused", async () => {
    const t = await tenantWithData();
    const created = await api.request(
      "/webhooks",
      as(t.key, {
        method: "POST",
        body: JSON.stringify({ url: "https://hooks.example.com/orders", events: ["call.ended"] }),
      }),
    );
    expect(created.status).toBe(201);
    const endpoint = await created.json();
    expect(endpoint).toMatchObject({
      url: "https://hooks.example.com/orders",
      events: ["call.ended"],
      enabled: true,
      secret: expect.stringMatching(/^whsec_/),
    });
    const listed = (await (await api.request("/webhooks", as(t.key))).json()).data;
    expect(listed.map((e: { id: string }) => e.id)).toContain(endpoint.id);
    expect(JSON.stringify(listed)).not.toContain("whsec_");
    for (const url of [
      "http://127.0.0.1:8080/x",
      "http://169.254.169.254/latest",
      "http://localhost/x",
      "ftp://example.com/x",
    ]) {
      const refused = await api.request("/webhooks", as(t.key, { method: "POST", body: JSON.stringify({ url }) }));
      expect(refused.status, url).toBe(400);
      expect((await refused.json()).error.message, url).toMatch(/^url: /);
    }
    const badEvent = await api.request(
      "/webhooks",
      as(t.key, {
        method: "POST",
        body: JSON.stringify({ url: "https://hooks.example.com/x", events: ["call.exploded"] }),
      }),
    );
    expect(badEvent.status).toBe(400);
    const off = await api.request(
      `/webhooks/${endpoint.id}`,
      as(t.key, { method: "PATCH", body: JSON.stringify({ enabled: false, events: [] }) }),
    );
    expect(await off.json()).toMatchObject({ enabled: false, events: [] });
    expect(
      (
        await api.request(
          `/webhooks/${endpoint.id}`,
          as(t.key, { method: "PATCH", body: JSON.stringify({ url: "http://10.0.0.8/hook" }) }),
        )
      ).status,
    ).toBe(400);
    const rotated = await (
      await api.request(`/webhooks/${endpoint.id}/rotate-secret`, as(t.key, { method: "POST" }))
    ).json();
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(endpoint.secret);
    const deliveries = (await (await api.request(`/webhooks/${t.webhookId}/deliveries`, as(t.key))).json()).data;
    expect(deliveries).toMatchObject([{ id: t.deliveryId, eventType: "call.ended", status: "dead" }]);
    const resent = await api.request(
      `/webhooks/${t.webhookId}/deliveries/${t.deliveryId}/resend`,
      as(t.key, { method: "POST" }),
    );
    expect(resent.status).toBe(202);
    expect(
      await ownerQuery(
        inject("ownerUrl"),
        "select id from pgboss.job where name = 'webhook.deliver' and data->>'deliveryId' = $1 and (data->>'manual')::boolean",
        [t.deliveryId],
      ),
    ).toHaveLength(1);
    expect((await api.request(`/webhooks/${endpoint.id}`, as(t.key, { method: "DELETE" }))).status).toBe(200);
    expect((await api.request(`/webhooks/${endpoint.id}`, as(t.key))).status).toBe(404);
  });

  it("widgets and campaigns through the API: the portal's rules, refusals that name the problem", async () => {
    const t = await tenantWithData();
    expect((await api.request(`/agents/${t.agentId}/widget`, as(t.key))).status).toBe(404);
    const put = await api.request(
      `/agents/${t.agentId}/widget`,
      as(t.key, {
        method: "PUT",
        body: JSON.stringify({
          ...widgetBody,
          allowedOrigins: ["https://www.example.com", "https://*.example.com", "https://www.example.com"],
        }),
      }),
    );
    expect(put.status).toBe(200);
    const widget = await put.json();
    expect(widget).toMatchObject({
      agentId: t.agentId,
      allowedOrigins: ["https://www.example.com", "https://*.example.com"],
      publishableKey: expect.stringMatching(/^pk_/),
    });
    expect(widget.snippet).toBe(
      `<script src="https://edge.bvrai.test/widget.js" data-widget="${widget.publishableKey}" async></script>`,
    );
    const again = await (
      await api.request(
        `/agents/${t.agentId}/widget`,
        as(t.key, { method: "PUT", body: JSON.stringify({ ...widgetBody, buttonText: "Call" }) }),
      )
    ).json();
    expect(again).toMatchObject({ publishableKey: widget.publishableKey, buttonText: "Call" });
    const badOrigin = await api.request(
      `/agents/${t.agentId}/widget`,
      as(t.key, { method: "PUT", body: JSON.stringify({ ...widgetBody, allowedOrigins: ["not an origin"] }) }),
    );
    expect(badOrigin.status).toBe(400);
    expect((await badOrigin.json()).error.message).toMatch(/^allowedOrigins: /);

    const settings = {
      name: "Reminders",
      agentId: t.agentId,
      fromNumberIds: [t.numberId],
      windowStart: "09:00",
      windowEnd: "17:00",
      defaultTimezone: "America/New_York",
      callsPerMinute: 5,
      maxConcurrent: 2,
      maxAttempts: 2,
      retryDelayMinutes: 30,
    };
    const created = await api.request(
      "/campaigns",
      as(t.key, {
        method: "POST",
        body: JSON.stringify({ settings, csv: "phone,name\n+14155550101,Ada\n+14155550102,Grace\n" }),
      }),
    );
    expect(created.status).toBe(201);
    const campaign = await created.json();
    expect(campaign).toMatchObject({ name: "Reminders", status: "running", agentId: t.agentId });
    expect(
      await ownerQuery(
        inject("ownerUrl"),
        "select row_number from campaign_rows where campaign_id = $1 order by row_number",
        [campaign.id],
      ),
    ).toEqual([{ row_number: 1 }, { row_number: 2 }]);
    // Left running, its rows (due 9 to 17 in New York) would be claimed by another file's dialler, which has other PII keys.
    expect(
      (
        await api.request(
          `/campaigns/${campaign.id}/status`,
          as(t.key, { method: "POST", body: JSON.stringify({ status: "cancelled" }) }),
        )
      ).status,
    ).toBe(200);
    const badCsv = await api.request(
      "/campaigns",
      as(t.key, { method: "POST", body: JSON.stringify({ settings, csv: "phone,name\nnot-a-number,Ada\n" }) }),
    );
    expect(badCsv.status).toBe(400);
    expect((await badCsv.json()).error.message).toMatch(/^csv: .*Nothing was created\.$/);
    const other = await tenantWithData();
    const foreign = await api.request(
      "/campaigns",
      as(t.key, {
        method: "POST",
        body: JSON.stringify({ settings: { ...settings, agentId: other.agentId }, csv: "phone\n+14155550103\n" }),
      }),
    );
    expect(foreign.status).toBe(400);
    const foreignNumber = await api.request(
      "/campaigns",
      as(t.key, {
        method: "POST",
        body: JSON.stringify({
          settings: { ...settings, fromNumberIds: [other.numberId] },
          csv: "phone\n+14155550103\n",
        }),
      }),
    );
    expect(foreignNumber.status).toBe(400);
    expect(
      await ownerQuery(inject("ownerUrl"), "select id from campaigns where tenant_id = $1", [t.tenantId]),
    ).toHaveLength(2); // the fixture's and the one above
  });

  it("the do-not-call list, a call's recording and the audit log through the API", async () => {
    const t = await tenantWithData();
    const added = await api.request(
      "/do-not-call",
      as(t.key, { method: "POST", body: JSON.stringify({ number: "+1 (415) 555-0199" }) }),
    );
    expect(added.status).toBe(201);
    expect(await added.json()).toEqual({ e164: "+14155550199" });
    expect(
      (await api.request("/do-not-call", as(t.key, { method: "POST", body: JSON.stringify({ number: "call me" }) })))
        .status,
    ).toBe(400);
    const list = (await (await api.request("/do-not-call", as(t.key))).json()).data;
    expect(list.map((e: { e164: string }) => e.e164).sort()).toEqual(["+14155550177", "+14155550199"]);
    expect((await api.request(`/do-not-call/${t.dncId}`, as(t.key, { method: "DELETE" }))).status).toBe(200);
    expect((await api.request(`/do-not-call/${t.dncId}`, as(t.key, { method: "DELETE" }))).status).toBe(404);

    expect((await api.request(`/calls/${t.callId}/recording`, as(t.key))).status).toBe(404);
    const [rec] = await ownerQuery<{ id: string }>(
      inject("ownerUrl"),
      "insert into recordings (tenant_id, call_id, provider_recording_sid, provider_media_url, status, stored_at, bytes, content_type) values ($1, $2, $3, 'https://api.twilio.com/x', 'stored', now(), 48, 'audio/wav') returning id",
      [t.tenantId, t.callId, `RE${crypto.randomUUID().replace(/-/g, "")}`],
    );
    const wav = new Uint8Array(48);
    wav.set(new TextEncoder().encode("RIFFxxxxWAVE"), 0);
    const key = await putRecording(
      { pii, store: recordings },
      { tenantId: t.tenantId, callId: t.callId, id: rec!.id },
      wav,
    );
    await ownerQuery(inject("ownerUrl"), "update recordings set storage_key = $2 where id = $1", [rec!.id, key]);
    const audio = await api.request(`/calls/${t.callId}/recording`, as(t.key));
    expect(audio.status).toBe(200);
    expect(audio.headers.get("content-type")).toBe("audio/wav");
    expect(new Uint8Array(await audio.arrayBuffer())).toEqual(wav);

    await api.request(
      `/agents/${t.agentId}`,
      as(t.key, { method: "PATCH", body: JSON.stringify({ name: "Audited" }) }),
    );
    const audit = (await (await api.request("/audit?action=agent.", as(t.key))).json()).data;
    expect(audit[0]).toMatchObject({ action: "agent.updated", targetId: t.agentId });
    expect(JSON.stringify(audit)).not.toContain("bv_live_");
  });

  it("members and invitations through the API: an API key acts as an admin, never over owners", async () => {
    const t = await tenantWithData();
    const members = (await (await api.request("/members", as(t.key))).json()).data;
    expect(members.map((m: { role: string }) => m.role).sort()).toEqual(["member", "owner"]);
    const viewer = await api.request(
      `/members/${t.memberId}`,
      as(t.key, { method: "PATCH", body: JSON.stringify({ role: "viewer" }) }),
    );
    expect(await viewer.json()).toMatchObject({ id: t.memberId, role: "viewer" });
    expect(
      (
        await api.request(
          `/members/${t.memberId}`,
          as(t.key, { method: "PATCH", body: JSON.stringify({ role: "owner" }) }),
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await api.request(
          `/members/${t.ownerMemberId}`,
          as(t.key, { method: "PATCH", body: JSON.stringify({ role: "viewer" }) }),
        )
      ).status,
    ).toBe(403);
    expect((await api.request(`/members/${t.ownerMemberId}`, as(t.key, { method: "DELETE" }))).status).toBe(403);
    expect((await api.request(`/members/${t.memberId}`, as(t.key, { method: "DELETE" }))).status).toBe(200);
    expect((await api.request(`/members/${t.memberId}`, as(t.key, { method: "DELETE" }))).status).toBe(404);

    const email = `new-${crypto.randomUUID()}@example.com`;
    const invited = await api.request(
      "/invitations",
      as(t.key, { method: "POST", body: JSON.stringify({ email, role: "member" }) }),
    );
    expect(invited.status).toBe(201);
    const mail = (await readOutbox(outbox)).find((m) => m.to === email);
    expect(mail?.text).toMatch(/https:\/\/app\.bvrai\.test\/invite\/[a-z2-7]+/);
    const already = await api.request(
      "/invitations",
      as(t.key, {
        method: "POST",
        body: JSON.stringify({
          email: members.find((m: { role: string }) => m.role === "owner").email,
          role: "member",
        }),
      }),
    );
    expect(already.status).toBe(409);
  });

  it("members through the API: removing or lowering a member below admin revokes the API keys they made for the team", async () => {
    const t = await tenantWithData();
    const admin = async () => {
      const u = await seedUser(inject("ownerUrl"), { tenantId: t.tenantId, role: "admin" });
      const k = await createApiKey(db, {
        tenantId: t.tenantId,
        name: "theirs",
        scopes: ["agents:read"],
        actor: { userId: u.id, ip: null },
      });
      expect((await api.request("/agents", as(k.key))).status).toBe(200);
      return { ...u, key: k.key };
    };
    const removed = await admin();
    expect((await api.request(`/members/${removed.membershipId}`, as(t.key, { method: "DELETE" }))).status).toBe(200);
    expect((await api.request("/agents", as(removed.key))).status).toBe(401);
    const lowered = await admin();
    expect(
      (
        await api.request(
          `/members/${lowered.membershipId}`,
          as(t.key, { method: "PATCH", body: JSON.stringify({ role: "member" }) }),
        )
      ).status,
    ).toBe(200);
    expect((await api.request("/agents", as(lowered.key))).status).toBe(401);
    expect((await api.request("/agents", as(t.key))).status).toBe(200); // the key that did it was made by no one removed
    const audit = (await (await api.request("/audit?action=api_key.revoked", as(t.key))).json()).data;
    expect(audit.map((e: { metadata: { reason: string } }) => e.metadata.reason).sort()).toEqual([
      "creator_removed",
      "creator_role_lowered",
    ]);
  });

  it("agents: a PATCH changes only what it sends; a stale version is a 409 that changes nothing", async () => {
    const t = await tenantWithData();
    const before = await (await api.request(`/agents/${t.agentId}`, as(t.key))).json();
    const renamed = await api.request(
      `/agents/${t.agentId}`,
      as(t.key, { method: "PATCH", body: JSON.stringify({ name: "Front desk", version: before.version }) }),
    );
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({
      name: "Front desk",
      systemPrompt: before.systemPrompt,
      version: before.version + 1,
    });
    const stale = await api.request(
      `/agents/${t.agentId}`,
      as(t.key, { method: "PATCH", body: JSON.stringify({ name: "Overwritten", version: before.version }) }),
    );
    expect(stale.status).toBe(409);
    expect((await stale.json()).error.code).toBe("CONFLICT");
    expect(
      (
        await api.request(
          `/agents/${t.agentId}`,
          as(t.key, { method: "PATCH", body: JSON.stringify({ model: "gpt-9" }) }),
        )
      ).status,
    ).toBe(400);
    expect((await (await api.request(`/agents/${t.agentId}`, as(t.key))).json()).name).toBe("Front desk");
    // Every setting the portal's agent page has: tools, language, timing, recording.
    const settings = {
      language: "es",
      temperature: 0.3,
      silenceTimeoutSeconds: 15,
      endCallPhrases: ["adiós"],
      tools: [
        { type: "end_call" },
        { type: "transfer_call", number: "+14155550123", mode: "warm" },
        {
          type: "http",
          name: "lookup",
          description: "Find an order",
          parameters: { type: "object" },
          url: "https://api.example.com/orders",
          method: "GET",
        },
      ],
      recordCalls: true,
      recordingDisclosure: "Esta llamada se graba.",
      turnTaking: { minSpeechMs: 300, minWords: 2, echoMargin: 0.35, fillerAfterMs: 0 },
    };
    const set = await api.request(
      `/agents/${t.agentId}`,
      as(t.key, { method: "PATCH", body: JSON.stringify(settings) }),
    );
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ ...settings, name: "Front desk" });
    const badTool = await api.request(
      `/agents/${t.agentId}`,
      as(t.key, { method: "PATCH", body: JSON.stringify({ tools: [{ type: "transfer_call", number: "555" }] }) }),
    );
    expect(badTool.status).toBe(400);
    // Turn-taking values outside their bounds, or unknown ones, are refused by name, and nothing changes.
    for (const turnTaking of [{ minSpeechMs: 5 }, { fillerAfterMs: 1.5 }, { echoMargin: 2 }, { bargeIn: "never" }]) {
      const refused = await api.request(
        `/agents/${t.agentId}`,
        as(t.key, { method: "PATCH", body: JSON.stringify({ turnTaking }) }),
      );
      expect(refused.status, JSON.stringify(turnTaking)).toBe(400);
      expect(JSON.stringify(await refused.json())).toContain("turnTaking");
    }
    expect((await (await api.request(`/agents/${t.agentId}`, as(t.key))).json()).turnTaking).toEqual(
      settings.turnTaking,
    );
  });

  it("HTTP tools' header values: stored encrypted (agents and versions), shown masked to every key, kept when sent back masked, re-entered when the tool moves", async () => {
    const t = await tenantWithData();
    const secret = ["sk", "orders", crypto.randomUUID()].join("-");
    const tool = {
      type: "http",
      name: "lookup",
      description: "Find an order",
      parameters: { type: "object" },
      url: "https://api.example.com/orders",
      method: "GET",
      headers: { Authorization: `Bearer ${secret}`, "X-Shop": "shop-7" },
    };
    const patch = (body: object) =>
      api.request(`/agents/${t.agentId}`, as(t.key, { method: "PATCH", body: JSON.stringify(body) }));
    const set = await patch({ tools: [tool] });
    expect(set.status).toBe(200);
    expect((await set.json()).tools).toEqual([
      { ...tool, headers: { Authorization: "********", "X-Shop": "********" } },
    ]);
    const dump = async () =>
      JSON.stringify(
        await ownerQuery(
          inject("ownerUrl"),
          "select a.*, v.settings from agents a left join agent_versions v on v.agent_id = a.id where a.tenant_id = $1",
          [t.tenantId],
        ),
      );
    expect(await dump()).not.toContain(secret);
    expect(await dump()).not.toContain("shop-7");
    expect(await dump()).toContain("pii1.api.");
    const stored = async () =>
      (
        await ownerQuery<{ tools: { headers?: Record<string, string> }[] }>(
          inject("ownerUrl"),
          "select tools from agents where id = $1",
          [t.agentId],
        )
      )[0]!.tools[0]!.headers!;
    const sealed = await stored();
    expect(await pii.decrypt(sealed.Authorization!, { tenantId: t.tenantId, table: "agents", column: "tools" })).toBe(
      `Bearer ${secret}`,
    );

    // A key that may only read sees the names, never a value: in the agent, the list and the versions.
    const reader = await createApiKey(db, { tenantId: t.tenantId, name: "reader", scopes: ["agents:read"], actor });
    for (const path of [`/agents/${t.agentId}`, "/agents", `/agents/${t.agentId}/versions`]) {
      const text = await (await api.request(path, as(reader.key))).text();
      expect(text, path).toContain('"Authorization":"********"');
      expect(text, path).not.toContain(secret);
      expect(text, path).not.toContain("pii1.");
    }
    // Sent back masked (an edit of something else), the saved values stay as they were.
    const masked = {
      ...tool,
      description: "Find an order by number",
      headers: { Authorization: "********", "X-Shop": "shop-8" },
    };
    expect((await patch({ tools: [masked] })).status).toBe(200);
    const kept = await stored();
    expect(kept.Authorization).toBe(sealed.Authorization);
    expect(await pii.decrypt(kept["X-Shop"]!, { tenantId: t.tenantId, table: "agents", column: "tools" })).toBe(
      "shop-8",
    );
    // A mask with nothing behind it, or a tool moved to another host, must be given its value again.
    for (const [why, tools] of [
      ["a new header", [{ ...masked, headers: { "X-New": "********" } }]],
      ["another host", [{ ...masked, url: "https://collector.example.net/orders" }]],
      ["a renamed tool", [{ ...masked, name: "lookup2" }]],
    ] as const) {
      const refused = await patch({ tools });
      expect(refused.status, why).toBe(400);
      expect((await refused.json()).error.message, why).toMatch(/^tools: .*enter/);
    }
    expect((await stored()).Authorization).toBe(sealed.Authorization);
    // Created with headers: the same, from the start.
    const created = await api.request(
      "/agents",
      as(t.key, { method: "POST", body: JSON.stringify({ name: "New", systemPrompt: "p", tools: [tool] }) }),
    );
    expect(created.status).toBe(201);
    expect(JSON.stringify(await created.json())).not.toContain(secret);
    expect(
      (
        await api.request(
          "/agents",
          as(t.key, { method: "POST", body: JSON.stringify({ name: "Masked", systemPrompt: "p", tools: [masked] }) }),
        )
      ).status,
    ).toBe(400);
    expect(await dump()).not.toContain(secret);
    // Restoring the version with the first header value brings back its ciphertext, still sealed.
    const restored = await api.request(`/agents/${t.agentId}/versions/2/restore`, as(t.key, { method: "POST" }));
    expect(restored.status).toBe(200);
    expect(JSON.stringify(await restored.json())).not.toContain(secret);
    expect((await stored()).Authorization).toBe(sealed.Authorization);
  });

  it("Idempotency-Key: a retry gets the first answer back without running again; another request with the key is a 422", async () => {
    const t = await tenantWithData();
    const post = (b: string, key = "order-42", path = "/agents") =>
      api.request(path, as(t.key, { method: "POST", body: b, headers: { "idempotency-key": key } }));
    const first = await post(body("POST")!);
    expect(first.status).toBe(201);
    const created = await first.json();
    const again = await post(body("POST")!);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(created);
    // Another body, or the same body to another path, with the key: refused, as the IETF draft and Stripe do.
    for (const other of [
      await post(JSON.stringify({ name: "Other", systemPrompt: "p" })),
      await post(body("POST")!, "order-42", "/do-not-call"),
    ]) {
      expect(other.status).toBe(422);
      expect((await other.json()).error).toMatchObject({
        code: "UNPROCESSABLE_CONTENT",
        message: expect.stringMatching(/^This Idempotency-Key was used with a different request/),
      });
    }
    expect((await post(body("POST")!, "bad key with spaces")).status).toBe(400);
    expect(
      await ownerQuery(inject("ownerUrl"), "select id from agents where tenant_id = $1 and name = 'Night desk'", [
        t.tenantId,
      ]),
    ).toHaveLength(1);
    // Answers older than a day go: on reuse of their key, or in the jobs process's sweep.
    await ownerQuery(
      inject("ownerUrl"),
      "insert into idempotency_keys (tenant_id, api_key_id, key, request_hash, status, body, created_at) values ($1, $2, 'stale', 'h', 201, null, now() - interval '25 hours')",
      [t.tenantId, t.keyId],
    );
    expect(await sweepIdempotencyKeys(db, [t.tenantId])).toBe(1);
    expect(
      await ownerQuery(inject("ownerUrl"), "select key from idempotency_keys where tenant_id = $1", [t.tenantId]),
    ).toEqual([{ key: "order-42" }]);
    // Keys are per tenant: another tenant's same key is its own.
    const u = await tenantWithData();
    expect(
      (
        await api.request(
          "/agents",
          as(u.key, { method: "POST", body: body("POST"), headers: { "idempotency-key": "order-42" } }),
        )
      ).status,
    ).toBe(201);
  });

  it("Idempotency-Key: replays go only to the API key that made the request, after its scope check, and stored answers hold no secret in clear", async () => {
    const t = await tenantWithData();
    const hook = JSON.stringify({ url: "https://hooks.example.com/replayed" });
    const send = (key: string) =>
      api.request("/webhooks", as(key, { method: "POST", body: hook, headers: { "idempotency-key": "hook-1" } }));
    const first = await send(t.key);
    expect(first.status).toBe(201);
    const { secret } = await first.json();
    expect(secret).toMatch(/^whsec_/);
    // The stored answer is encrypted for this tenant: a dump of the table shows no secret, no URL.
    const stored = await ownerQuery<{ body: string }>(
      inject("ownerUrl"),
      "select body from idempotency_keys where tenant_id = $1",
      [t.tenantId],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.body).toMatch(/^pii1\./);
    expect(JSON.stringify(stored)).not.toContain(secret.slice(6));
    expect(JSON.stringify(stored)).not.toContain("hooks.example.com");
    // The key that made it gets its answer back, secret included (a retry after a lost answer).
    const retried = await send(t.key);
    expect(retried.headers.get("idempotent-replayed")).toBe("true");
    expect((await retried.json()).secret).toBe(secret);
    // A key of the same tenant without webhooks:write, replaying the request: 403 before any replay.
    const reader = await createApiKey(db, {
      tenantId: t.tenantId,
      name: "reader",
      scopes: ["agents:read", "webhooks:read"],
      actor,
    });
    const denied = await send(reader.key);
    expect(denied.status).toBe(403);
    expect(denied.headers.get("idempotent-replayed")).toBeNull();
    expect(await denied.text()).not.toContain(secret);
    // Another key with the scope does its own request: a new endpoint, its own secret, never the first's.
    const writer = await createApiKey(db, { tenantId: t.tenantId, name: "writer", scopes: ["webhooks:write"], actor });
    const own = await send(writer.key);
    expect(own.status).toBe(201);
    expect(own.headers.get("idempotent-replayed")).toBeNull();
    expect((await own.json()).secret).not.toBe(secret);
    // The scope is checked before any replay: the key that made the request, once narrowed, gets a 403.
    await ownerQuery(inject("ownerUrl"), "update api_keys set scopes = '{webhooks:read}' where id = $1", [t.keyId]);
    const narrowed = await send(t.key);
    expect(narrowed.status).toBe(403);
    expect(await narrowed.text()).not.toContain(secret);
    // A revoked key replays nothing either.
    await revokeApiKey(db, { tenantId: t.tenantId, id: t.keyId, actor });
    expect((await send(t.key)).status).toBe(401);
  });

  it("pages through calls with a cursor: every call once, in order, while new calls arrive", async () => {
    const t = await tenantWithData();
    await ownerQuery(
      inject("ownerUrl"),
      "insert into calls (tenant_id, agent_id, direction, status, created_at) select $1, $2, 'web', 'completed', now() - make_interval(secs => g) from generate_series(1, 24) g",
      [t.tenantId, t.agentId],
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res = await api.request(`/calls?limit=10${cursor ? `&cursor=${cursor}` : ""}`, as(t.key));
      const { data, nextCursor } = (await res.json()) as {
        data: { id: string; createdAt: string }[];
        nextCursor: string | null;
      };
      seen.push(...data.map((d) => d.id));
      if (page === 0)
        await ownerQuery(
          inject("ownerUrl"),
          "insert into calls (tenant_id, agent_id, direction, status) values ($1, $2, 'web', 'completed')",
          [t.tenantId, t.agentId],
        );
      cursor = nextCursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(25); // the 24 inserted and the routed call; the one added meanwhile is newer than page one
    expect(new Set(seen).size).toBe(25);
    expect((await api.request("/calls?cursor=not-a-cursor", as(t.key))).status).toBe(400);
  });

  it("numbers and outbound calls through the API: search, buy, assign, call, release, with the portal's rules", async () => {
    const t = await tenantWithData();
    const found = await (await api.request("/numbers/available?country=US&kind=local&areaCode=530", as(t.key))).json();
    expect(found.data[0].e164).toMatch(/^\+1530/);
    expect((await api.request("/numbers/available?country=USA&kind=local", as(t.key))).status).toBe(400);
    const bought = await api.request(
      "/numbers",
      as(t.key, { method: "POST", body: JSON.stringify({ e164: found.data[0].e164 }) }),
    );
    expect(bought.status).toBe(201);
    const number = await bought.json();
    const assigned = await api.request(
      `/numbers/${number.id}`,
      as(t.key, { method: "PATCH", body: JSON.stringify({ friendlyName: "Sales line", agentId: t.agentId }) }),
    );
    expect(await assigned.json()).toMatchObject({ friendlyName: "Sales line", agentId: t.agentId });
    expect((await (await api.request("/numbers", as(t.key))).json()).data).toHaveLength(2);

    const placed = await api.request(
      "/calls",
      as(t.key, {
        method: "POST",
        body: JSON.stringify({
          fromNumberId: number.id,
          to: "+1 415 555 0123",
          agentId: t.agentId,
          variables: { name: "Ada" },
        }),
      }),
    );
    expect(placed.status).toBe(201);
    const { id } = await placed.json();
    const dialled = [...twilioFake.calls.values()].at(-1)!;
    expect(dialled).toMatchObject({
      to: "+14155550123",
      from: number.e164,
      url: `https://edge.bvrai.test/twilio/outbound?call=${id}`,
    });
    const refused = await api.request(
      "/calls",
      as(t.key, {
        method: "POST",
        body: JSON.stringify({ fromNumberId: number.id, to: "not a number", agentId: t.agentId }),
      }),
    );
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.message).toMatch(/is not a phone number/);

    expect((await api.request(`/numbers/${number.id}`, as(t.key, { method: "DELETE" }))).status).toBe(200);
    expect([...twilioFake.numbers.values()].some((n) => n.phone_number === number.e164)).toBe(false);
    expect((await api.request(`/numbers/${number.id}`, as(t.key, { method: "DELETE" }))).status).toBe(404);
  });

  it("campaigns, usage and deleting an agent through the API", async () => {
    const t = await tenantWithData();
    const [campaign] = (await (await api.request("/campaigns", as(t.key))).json()).data;
    expect(campaign).toMatchObject({ id: t.campaignId, status: "running", progress: { total: 1, open: 1 } });
    const paused = await api.request(
      `/campaigns/${t.campaignId}/status`,
      as(t.key, { method: "POST", body: JSON.stringify({ status: "paused" }) }),
    );
    expect(await paused.json()).toMatchObject({ status: "paused" });
    await api.request(
      `/campaigns/${t.campaignId}/status`,
      as(t.key, { method: "POST", body: JSON.stringify({ status: "cancelled" }) }),
    );
    const again = await api.request(
      `/campaigns/${t.campaignId}/status`,
      as(t.key, { method: "POST", body: JSON.stringify({ status: "running" }) }),
    );
    expect(again.status).toBe(400);
    expect((await again.json()).error.message).toBe("The campaign is cancelled: it cannot change any more.");

    const usage = await (await api.request("/usage", as(t.key))).json();
    expect(usage.data).toHaveLength(30);
    expect(usage.data.every((d: { costMicros: string }) => d.costMicros === "0")).toBe(true);
    expect((await api.request("/usage?from=2026-11-05&to=2026-11-01", as(t.key))).status).toBe(400);

    expect((await api.request(`/agents/${t.agentId}`, as(t.key, { method: "DELETE" }))).status).toBe(200);
    expect((await api.request(`/agents/${t.agentId}`, as(t.key))).status).toBe(404);
    expect((await api.request(`/calls/${t.callId}`, as(t.key))).status).toBe(200); // its calls keep their history
  });
});
