import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
// First: the API extends zod with .openapi before any schema is built.
import { createApi } from "../../app/api/app";
import { telephonyFrom } from "../../app/telephony/numbers.server";
import { createPiiCipher } from "../../core/crypto/pii";
import { DATABASE_RETRY_AFTER_SECONDS } from "../../db/connection-errors";
import { createNodeDb } from "../../db/node-client";
import { createApiKey } from "../../db/queries/api-keys";
import { testApiServices } from "../support/api";
import { startFaultProxy } from "../support/fault-proxy";
import { configurePortal, cookieFrom, get, run } from "../support/portal";
import { ownerQuery, seedTenant, seedUser } from "../support/seed";
import { eventually } from "../support/wait";

/**
 * A detail page's id comes from its URL. One that is not an id, or another team's, is "not
 * found" (404); a database that is away is "briefly unavailable" (503, try again), never a 404
 * (issue 18 found lost queries answered "not found") nor an anonymous 500. The portal reaches
 * Postgres through a fault proxy here, so the database can go away under it.
 */
const ownerUrl = () => inject("ownerUrl");
let pg: Awaited<ReturnType<typeof startFaultProxy>>;
let portal: Awaited<ReturnType<typeof configurePortal>>;
let routes: Awaited<ReturnType<typeof loadRoutes>>;
let proxiedUrl: string;

const loadRoutes = async () => ({
  agent: await import("../../app/routes/_portal.agents.$agentId"),
  agentVersions: await import("../../app/routes/_portal.agents.$agentId_.versions"),
  call: await import("../../app/routes/_portal.calls.$callId"),
  recording: await import("../../app/routes/_portal.calls.$callId_.recording"),
  knowledgeBase: await import("../../app/routes/_portal.knowledge.$kbId"),
  suite: await import("../../app/routes/_portal.suites.$suiteId"),
  run: await import("../../app/routes/_portal.runs.$runId"),
  apiKey: await import("../../app/routes/_portal.settings.api-keys.$keyId"),
  member: await import("../../app/routes/_portal.settings.team.$memberId"),
  unavailable: await import("../../app/server/unavailable"),
  session: await import("../../app/utils/session.server"),
  db: (await import("../../app/utils/db.server")).db(),
});

beforeAll(async () => {
  const url = new URL(inject("appUrl"));
  pg = await startFaultProxy({ host: url.hostname, port: Number(url.port || 5432) });
  url.host = `127.0.0.1:${pg.port}`;
  proxiedUrl = url.toString();
  portal = await configurePortal({ appUrl: proxiedUrl });
  routes = await loadRoutes();
});
afterAll(async () => {
  pg?.pass();
  await routes?.db.$pool.end();
  await pg?.stop();
  portal?.restore();
});

/** A team with an agent, a call, a knowledge base and a test suite, and its owner signed in. */
async function team() {
  const t = await seedTenant(ownerUrl());
  const owner = await seedUser(ownerUrl(), { tenantId: t.tenantId, role: "owner" });
  const [call] = await ownerQuery<{ id: string }>(
    ownerUrl(),
    "insert into calls (tenant_id, agent_id, direction, status) values ($1, $2, 'web', 'completed') returning id",
    [t.tenantId, t.agentId],
  );
  const [kb] = await ownerQuery<{ id: string }>(
    ownerUrl(),
    "insert into knowledge_bases (tenant_id, name) values ($1, 'Prices') returning id",
    [t.tenantId],
  );
  const [suite] = await ownerQuery<{ id: string }>(
    ownerUrl(),
    "insert into test_suites (tenant_id, agent_id, name) values ($1, $2, 'Smoke') returning id",
    [t.tenantId, t.agentId],
  );
  const cookie = cookieFrom(await routes.session.createSession(owner.id, t.tenantId));
  return {
    ...t,
    ownerId: owner.id,
    membershipId: owner.membershipId!,
    callId: call!.id,
    kbId: kb!.id,
    suiteId: suite!.id,
    cookie,
  };
}

type Team = Awaited<ReturnType<typeof team>>;
/** Each detail page, with the parameter its URL carries and that team's thing of that kind. */
const pages = (t: Team) => [
  { name: "agent", loader: routes.agent.loader, param: "agentId", id: t.agentId, path: "/agents" },
  { name: "agent versions", loader: routes.agentVersions.loader, param: "agentId", id: t.agentId, path: "/agents" },
  { name: "call", loader: routes.call.loader, param: "callId", id: t.callId, path: "/calls" },
  { name: "knowledge base", loader: routes.knowledgeBase.loader, param: "kbId", id: t.kbId, path: "/knowledge" },
  { name: "suite", loader: routes.suite.loader, param: "suiteId", id: t.suiteId, path: "/suites" },
  { name: "team member", loader: routes.member.loader, param: "memberId", id: t.membershipId, path: "/settings/team" },
];

const open = (loader: Parameters<typeof run>[0], path: string, param: string, id: string, cookie: string) =>
  run(loader, get(`${path}/${encodeURIComponent(id)}`, { cookie }), { [param]: id });

describe("a detail page's id", () => {
  it("that is not an id, of any shape, answers 404 on every page", async () => {
    const a = await team();
    const id = crypto.randomUUID();
    const shapes = [
      "not-a-uuid",
      "1",
      "' or 1=1 --",
      `${id}x`,
      id.replace(/-/g, ""),
      `{${id}}`,
      "\0",
      "%00",
      "\u{1F600}".repeat(1000),
    ];
    for (const page of pages(a)) {
      for (const bad of shapes)
        expect(
          (await open(page.loader, page.path, page.param, bad, a.cookie)).status,
          `${page.name}: ${JSON.stringify(bad.slice(0, 40))}`,
        ).toBe(404);
    }
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "binary", maxLength: 50 }).filter((s) => !/^[0-9a-f-]{36}$/i.test(s)),
        async (bad) => {
          expect((await open(routes.agent.loader, "/agents", "agentId", bad, a.cookie)).status).toBe(404);
        },
      ),
      { numRuns: 100 },
    );
    // Actions check it too, before anything is read or written.
    expect(
      (
        await run(
          routes.apiKey.action,
          new Request("http://portal.test/settings/api-keys/x", { method: "POST", headers: { cookie: a.cookie } }),
          { keyId: "x" },
        )
      ).status,
    ).toBe(404);
  });

  it("of another team answers 404, as one that names nothing does; the team's own opens", async () => {
    const [a, b] = [await team(), await team()];
    for (const [mine, theirs] of pages(a).map((p, i) => [p, pages(b)[i]!] as const)) {
      expect((await open(mine.loader, mine.path, mine.param, mine.id, a.cookie)).status, `${mine.name}: its own`).toBe(
        200,
      );
      expect(
        (await open(mine.loader, mine.path, mine.param, theirs.id, a.cookie)).status,
        `${mine.name}: another team's`,
      ).toBe(404);
      expect(
        (await open(mine.loader, mine.path, mine.param, crypto.randomUUID(), a.cookie)).status,
        `${mine.name}: nobody's`,
      ).toBe(404);
    }
    expect((await open(routes.recording.loader, "/calls", "callId", b.callId, a.cookie)).status).toBe(404);
    expect((await open(routes.run.loader, "/runs", "runId", crypto.randomUUID(), a.cookie)).status).toBe(404);
  });
});

describe("the database away", () => {
  it("a page answers 503 with Retry-After, as the API does, and opens again once it is back", async () => {
    const a = await team();
    const page = routes.unavailable.answeringUnavailable(routes.agent);
    const opened = () => open(page.loader, "/agents", "agentId", a.agentId, a.cookie);
    expect((await opened()).status).toBe(200);
    const apiDb = createNodeDb(proxiedUrl, { max: 2 });
    const pii = createPiiCipher({
      keys: process.env.PII_ENCRYPTION_KEYS!,
      blindIndexKey: process.env.PII_BLIND_INDEX_KEY!,
    });
    const api = createApi(testApiServices(telephonyFrom({}, apiDb, pii)));
    const { key } = await createApiKey(apiDb, {
      tenantId: a.tenantId,
      name: "outage",
      scopes: ["agents:read"],
      actor: { userId: null, ip: null },
    });
    try {
      pg.down();
      const [during, apiDuring, malformedDuring] = [
        await opened(),
        await api.request(`/agents/${a.agentId}`, { headers: { authorization: `Bearer ${key}` } }),
        await open(page.loader, "/agents", "agentId", "not-an-id", a.cookie),
      ];
      pg.pass();
      expect(during.status).toBe(503);
      expect(during.headers.get("retry-after")).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
      expect(during.body).toMatch(/briefly unavailable/);
      expect(apiDuring.status).toBe(503);
      expect(apiDuring.headers.get("retry-after")).toBe(String(DATABASE_RETRY_AFTER_SECONDS));
      // Signed in is looked up first: a malformed id with the database away is unavailable, not "not found".
      expect(malformedDuring.status).toBe(503);
      await eventually(async () => (await opened()).status === 200, 10_000, "the page to open again");
    } finally {
      pg.pass();
      await apiDb.$pool.end();
    }
  });

  it("an error that is not the database's stays a server error (500), not a 503 nor a 404", async () => {
    const failing = routes.unavailable.answeringUnavailable({
      loader: async (_: { request: Request }) => Promise.reject(new Error("a bug")),
    });
    await expect(failing.loader({ request: get("/agents") })).rejects.toThrow("a bug");
  });
});
