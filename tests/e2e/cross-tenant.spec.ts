import { type APIRequestContext, expect, request, test } from "@playwright/test";
import { folderStore } from "../../app/recordings/object-store.server";
import { putRecording } from "../../app/recordings/recordings.server";
import { createPiiCipher } from "../../core/crypto/pii";
import { randomToken, sha256Hex } from "../../core/crypto/tokens";
import { createNodeDb } from "../../db/node-client";
import { createAccount } from "../../db/queries/accounts";
import { createAgent } from "../../db/queries/agents";
import { createApiKey } from "../../db/queries/api-keys";
import { createCampaign, setCampaignStatus } from "../../db/queries/campaigns";
import { routeInboundCall } from "../../db/queries/inbound-calls";
import { createInvitation } from "../../db/queries/invitations";
import { addDocument, createKnowledgeBase } from "../../db/queries/knowledge";
import { createRun, createSuite } from "../../db/queries/test-suites";
import { createWebhookEndpoint } from "../../db/queries/webhook-endpoints";
import { saveWidget } from "../../db/queries/widgets";
import { ownerQuery, seedUser } from "../support/seed";
import { signedCookieValue } from "./fixtures";
import { discoverRoutes, fillPath } from "./routes";
import { e2e } from "./settings";

/** Routes with no tenant data behind them, each with the reason; everything else is tenant-scoped. */
const publicRoutes: Record<string, string> = {
  "_index.tsx": "redirects to log in or to the portal",
  "health.tsx": "liveness probe",
  "login.tsx": "sign-in form",
  "login_.two-factor.tsx": "second factor of the user's own pending session",
  "login_.link.tsx": "the emailed token is the credential",
  "signup.tsx": "creates a new tenant",
  "verify-email.tsx": "the user's own address",
  "forgot-password.tsx": "answers the same whether or not the account exists",
  "reset-password.tsx": "the emailed token is the credential",
  "invite.$token.tsx": "the emailed token is the credential",
  "dev.mailbox.tsx": "development only, 404 in production",
  "logout.tsx": "ends the caller's own session",
  "teams.new.tsx": "creates a new tenant for the user",
  "teams.switch.tsx": "takes a tenant id in the form: covered by its own test below",
};

const db = createNodeDb(e2e.appUrl, { max: 2 });
const pii = createPiiCipher({
  keys: e2e.serverEnv.PII_ENCRYPTION_KEYS!,
  blindIndexKey: e2e.serverEnv.PII_BLIND_INDEX_KEY!,
});
const marker = `zz${randomToken(6)}`;

async function seedTenantWithEverything(label: string) {
  const { user, tenantId } = await createAccount(db, {
    email: `${label}-${marker}@example.com`,
    name: `${label} owner`,
    passwordHash: "x",
    tenantName: `${label} ${marker}`,
    emailVerified: true,
  });
  const actor = { userId: user.id, ip: null };
  const agent = await createAgent(db, {
    tenantId,
    actor,
    name: `${label} agent ${marker}`,
    systemPrompt: "p",
    firstMessage: "hello",
    voice: "sandbox-alloy",
    model: "gpt-4o-mini",
  });
  const number = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  const [phone] = await ownerQuery<{ id: string }>(
    e2e.ownerUrl,
    "insert into phone_numbers (tenant_id, e164, agent_id) values ($1, $2, $3) returning id",
    [tenantId, number, agent.id],
  );
  const call = await routeInboundCall(db, pii, {
    to: number,
    from: "+14155550900",
    providerCallSid: `CA${crypto.randomUUID().replace(/-/g, "")}`,
    signer: "platform",
  });
  if (call.kind === "connect") {
    // A stored recording of the call, as the copy job leaves it (the same sealing, the e2e store).
    const [rec] = await ownerQuery<{ id: string }>(
      e2e.ownerUrl,
      "insert into recordings (tenant_id, call_id, provider_recording_sid, provider_media_url, status, stored_at, bytes, content_type) values ($1, $2, $3, 'https://api.twilio.com/x', 'stored', now(), 48, 'audio/wav') returning id",
      [tenantId, call.callId, `RE${crypto.randomUUID().replace(/-/g, "")}`],
    );
    const wav = new Uint8Array(48);
    wav.set(new TextEncoder().encode("RIFF"), 0);
    const key = await putRecording(
      { pii, store: folderStore(e2e.serverEnv.RECORDINGS_DIR!) },
      { tenantId, callId: call.callId, id: rec!.id },
      wav,
    );
    await ownerQuery(e2e.ownerUrl, "update recordings set storage_key = $2 where id = $1", [rec!.id, key]);
  }
  const member = await seedUser(e2e.ownerUrl, {
    email: `${label}-member-${marker}@example.com`,
    tenantId,
    role: "member",
  });
  const key = await createApiKey(db, { tenantId, actor, name: `${label} key ${marker}`, scopes: ["agents:read"] });
  const invitation = await createInvitation(db, {
    tenantId,
    email: `${label}-invitee-${marker}@example.com`,
    role: "member",
    actor,
  });
  await saveWidget(db, {
    tenantId,
    agentId: agent.id,
    actor,
    settings: {
      allowedOrigins: [`https://${label}.example.com`],
      buttonText: "Talk",
      color: "#000000",
      textColor: "#ffffff",
      position: "bottom-right",
      greeting: "",
      consentText: "",
      maxConcurrentSessions: 1,
      maxSessionSeconds: 60,
      callsPerVisitorPerHour: 1,
    },
  });
  const campaign = await createCampaign(db, pii, {
    tenantId,
    rows: [{ phone: "+14155552671", variables: { name: "B" }, timezone: "UTC", doNotCall: false }],
    settings: {
      name: `${label} campaign`,
      agentId: agent.id,
      fromNumberIds: [phone!.id],
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
  await setCampaignStatus(db, { tenantId, id: campaign.id, status: "paused" });
  const endpoint = await createWebhookEndpoint(db, pii, {
    tenantId,
    url: `https://${label}.example.com/${marker}`,
    events: [],
    actor,
  });
  const kb = await createKnowledgeBase(db, { tenantId, name: `${label} knowledge ${marker}` });
  const suite = await createSuite(db, {
    tenantId,
    agentId: agent.id,
    name: `${label} suite ${marker}`,
    cases: [
      {
        id: "c",
        name: "greets",
        caller: { kind: "scripted", turns: ["hi"] },
        expectations: [{ type: "must_say", text: "hello" }],
      },
    ],
  });
  const run = await createRun(db, { tenantId, agentId: agent.id, suiteId: suite!.id });
  await addDocument(db, {
    tenantId,
    knowledgeBaseId: kb.id,
    name: `${label}-doc.txt`,
    kind: "text",
    sizeBytes: 5,
    source: `${label} secret ${marker}`,
  });
  return {
    tenantId,
    userId: user.id,
    ids: {
      agentId: agent.id,
      kbId: kb.id,
      suiteId: suite!.id,
      runId: run!.id,
      callId: call.kind === "connect" ? call.callId : "",
      memberId: member.membershipId!,
      keyId: key.id,
      invitationId: invitation.id,
      endpointId: endpoint.id,
      numberId: phone!.id,
      campaignId: campaign.id,
    } as Record<string, string>,
  };
}

/** A logged-in session for the user in the tenant, written as a session row (as the fixtures log in). */
async function sessionHeaders(userId: string | null, tenantId: string | null) {
  const headers: Record<string, string> = {};
  if (userId) {
    const token = randomToken();
    await ownerQuery(
      e2e.ownerUrl,
      "insert into sessions (id, user_id, active_tenant_id, expires_at) values ($1, $2, $3, now() + interval '1 hour')",
      [sha256Hex(token), userId, tenantId],
    );
    headers.cookie = `bvrai_session=${await signedCookieValue(token)}`;
  }
  return headers;
}
async function as(userId: string | null, tenantId: string | null): Promise<APIRequestContext> {
  return request.newContext({
    baseURL: e2e.webUrl,
    extraHTTPHeaders: await sessionHeaders(userId, tenantId),
    maxRedirects: 0,
  });
}

const snapshot = async (tenantId: string) =>
  JSON.stringify(
    await Promise.all(
      [
        "agents",
        "agent_versions",
        "knowledge_bases",
        "test_suites",
        "calls",
        "memberships",
        "api_keys",
        "invitations",
        "webhook_endpoints",
        "webhook_deliveries",
        "phone_numbers",
        "widgets",
        "campaigns",
        "campaign_rows",
        "do_not_call",
        "recordings",
      ].map((t) => ownerQuery(e2e.ownerUrl, `select * from ${t} where tenant_id = $1 order by id`, [tenantId])),
    ),
  );

/** A body that would change something if an action accepted it: valid values for every form we have. */
const hostileBody = (intent?: string) => ({
  ...(intent ? { intent } : {}),
  name: "pwned",
  role: "viewer",
  version: "1",
  systemPrompt: "pwned",
  firstMessage: "pwned",
  voice: "sandbox-alloy",
  model: "gpt-4o-mini",
  url: "https://evil.example/hook",
  email: "evil@example.com",
  scopes: "agents:read",
  allowedOrigins: "https://evil.example",
  buttonText: "pwned",
  color: "#000000",
  textColor: "#ffffff",
  position: "bottom-left",
  maxConcurrentSessions: "100",
  maxSessionSeconds: "3600",
  callsPerVisitorPerHour: "100",
  friendlyName: "pwned",
  agentId: "",
  confirm: "on",
});

const routes = discoverRoutes();
const tenantRoutes = routes.filter((r) => !(r.file in publicRoutes));

test("the route list is complete: every route is either public (with a reason) or in the matrix", () => {
  expect(routes.length).toBeGreaterThan(20);
  for (const file of Object.keys(publicRoutes))
    expect(
      routes.map((r) => r.file),
      `${file} no longer exists`,
    ).toContain(file);
  expect(tenantRoutes.length).toBeGreaterThan(10);
});

test("tenant A gets 404 for every one of tenant B's ids, on every loader and action, and changes nothing", async () => {
  const a = await seedTenantWithEverything("alpha");
  const b = await seedTenantWithEverything("bravo");
  const before = await snapshot(b.tenantId);
  const asA = await as(a.userId, a.tenantId);
  const asB = await as(b.userId, b.tenantId);
  const bHeaders = await sessionHeaders(b.userId, b.tenantId);
  const checked: string[] = [];

  for (const route of tenantRoutes.filter((r) => r.params.length)) {
    for (const p of route.params) expect(b.ids, `${route.file}: add a tenant-B fixture for :${p}`).toHaveProperty(p);
    const url = fillPath(route.path, b.ids);
    if (route.loader) {
      if (route.stream) {
        // A live stream does not end while its call is live: its own tenant gets the stream's headers, then lets go.
        const own = await fetch(`${e2e.webUrl}${url}`, {
          headers: bHeaders,
          redirect: "manual",
          signal: AbortSignal.timeout(10_000),
        });
        expect([own.status, own.headers.get("content-type")], `${url} as its own tenant (fixture check)`).toEqual([
          200,
          "text/event-stream; charset=utf-8",
        ]);
        await own.body?.cancel();
      } else expect((await asB.get(url)).status(), `${url} as its own tenant (fixture check)`).toBe(200);
      const res = await asA.get(url);
      expect(res.status(), `GET ${url} as tenant A`).toBe(404);
      expect(await res.text()).not.toContain(`bravo agent ${marker}`);
      checked.push(`GET ${route.path}`);
    }
    if (route.action) {
      for (const intent of [undefined, ...route.intents]) {
        const res = await asA.post(url, { form: hostileBody(intent) });
        expect(res.status(), `POST ${url} intent=${intent} as tenant A`).toBe(404);
      }
      checked.push(`POST ${route.path}`);
    }
  }

  for (const route of tenantRoutes.filter((r) => !r.params.length && r.loader && !r.layout)) {
    const res = await asA.get(route.path);
    expect([200, 302], `GET ${route.path} as tenant A`).toContain(res.status());
    const html = await res.text();
    expect(html, `${route.path} shows tenant B's data`).not.toContain(`bravo agent ${marker}`);
    expect(html).not.toContain(`bravo-member-${marker}`);
    expect(html).not.toContain(`bravo key ${marker}`);
    expect(html).not.toContain(`bravo.example.com/${marker}`);
    expect(html).not.toContain(`bravo-invitee-${marker}`);
    expect(html).not.toContain(`bravo knowledge ${marker}`);
    expect(html).not.toContain(`bravo suite ${marker}`);
    checked.push(`GET ${route.path}`);
  }

  // Switching to a team you are not in: the team does not exist for you.
  expect((await asA.post("/teams/switch", { form: { tenantId: b.tenantId } })).status()).toBe(404);
  expect(await snapshot(b.tenantId)).toBe(before);
  expect(checked.length).toBeGreaterThan(12);
  await Promise.all([asA.dispose(), asB.dispose()]);
});

test("without a session every tenant route sends you to log in, and every action refuses a cross-site post", async () => {
  const a = await seedTenantWithEverything("charlie");
  const before = await snapshot(a.tenantId);
  const anonymous = await as(null, null);
  for (const route of tenantRoutes) {
    const url = fillPath(route.path, a.ids);
    if (route.loader && !route.layout) {
      const res = await anonymous.get(url);
      expect(res.status(), `GET ${url}`).toBe(302);
      expect(res.headers().location, `GET ${url}`).toMatch(/^\/login\?redirectTo=/);
    }
    if (route.action) expect((await anonymous.post(url, { form: hostileBody() })).status(), `POST ${url}`).toBe(302);
  }
  const asA = await as(a.userId, a.tenantId);
  for (const route of routes.filter((r) => r.action)) {
    const url = fillPath(route.path, { ...a.ids, token: "x" });
    const res = await asA.post(url, {
      form: hostileBody(),
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(res.status(), `cross-site POST ${url}`).toBe(403);
  }
  expect(await snapshot(a.tenantId)).toBe(before);
  await Promise.all([anonymous.dispose(), asA.dispose()]);
});
