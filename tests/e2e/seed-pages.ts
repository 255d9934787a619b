import { createPiiCipher } from "../../core/crypto/pii";
import { createNodeDb } from "../../db/node-client";
import { createApiKey } from "../../db/queries/api-keys";
import { createCampaign } from "../../db/queries/campaigns";
import { routeInboundCall } from "../../db/queries/inbound-calls";
import { createInvitation } from "../../db/queries/invitations";
import { addDocument, createKnowledgeBase } from "../../db/queries/knowledge";
import { createRun, createSuite } from "../../db/queries/test-suites";
import { createWebhookEndpoint } from "../../db/queries/webhook-endpoints";
import { saveWidget } from "../../db/queries/widgets";
import { ownerQuery, seedUser } from "../support/seed";
import { e2e } from "./settings";

const db = createNodeDb(e2e.appUrl, { max: 2 });
const pii = createPiiCipher({
  keys: e2e.serverEnv.PII_ENCRYPTION_KEYS!,
  blindIndexKey: e2e.serverEnv.PII_BLIND_INDEX_KEY!,
});

/**
 * Fills a signed-up tenant with one of everything a page shows (a number, a call with a
 * transcript, a campaign, a knowledge base, a suite and its run, a webhook endpoint, an API key,
 * a member, an invitation, a widget), and returns the ids that fill route params.
 */
export async function seedEverything(email: string, agentId: string) {
  const [owner] = await ownerQuery<{ user_id: string; tenant_id: string }>(
    e2e.ownerUrl,
    "select m.user_id, m.tenant_id from memberships m join users u on u.id = m.user_id where lower(u.email) = lower($1)",
    [email],
  );
  const { user_id: userId, tenant_id: tenantId } = owner!;
  const actor = { userId, ip: null };
  const tag = Date.now().toString(36);
  const number = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  const [phone] = await ownerQuery<{ id: string }>(
    e2e.ownerUrl,
    "insert into phone_numbers (tenant_id, e164, agent_id) values ($1, $2, $3) returning id",
    [tenantId, number, agentId],
  );
  const inbound = await routeInboundCall(db, pii, {
    to: number,
    from: "+14155550900",
    providerCallSid: `CA${crypto.randomUUID().replace(/-/g, "")}`,
    signer: "platform",
  });
  if (inbound.kind !== "connect") throw new Error(`the seeded call was not connected: ${inbound.kind}`);
  await ownerQuery(
    e2e.ownerUrl,
    "update calls set status = 'completed', ended_at = now(), duration_seconds = 42, end_reason = 'caller_hung_up' where id = $1",
    [inbound.callId],
  );
  for (const [seq, speaker, text] of [
    [0, "agent", "Hello, how can I help?"],
    [1, "caller", "What are your opening hours?"],
    [2, "agent", "We open at nine."],
  ] as const)
    await ownerQuery(
      e2e.ownerUrl,
      "insert into call_turns (tenant_id, call_id, seq, speaker, text, offset_ms) values ($1, $2, $3, $4, $5, $6)",
      [tenantId, inbound.callId, seq, speaker, text, seq * 2000],
    );
  const member = await seedUser(e2e.ownerUrl, { email: `member-${tag}@example.com`, tenantId, role: "member" });
  const key = await createApiKey(db, { tenantId, actor, name: "CRM sync", scopes: ["agents:read"] });
  const invitation = await createInvitation(db, {
    tenantId,
    email: `invitee-${tag}@example.com`,
    role: "member",
    actor,
  });
  await saveWidget(db, {
    tenantId,
    agentId,
    actor,
    settings: {
      allowedOrigins: ["https://shop.example.com"],
      buttonText: "Talk to us",
      color: "#2952cc",
      textColor: "#ffffff",
      position: "bottom-right",
      greeting: "Hi!",
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
      name: "Spring reminders",
      agentId,
      fromNumberIds: [phone!.id],
      windowStartMinute: 540,
      windowEndMinute: 1020,
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
    tenantId,
    url: "https://hooks.example.com/bvrai",
    events: [],
    actor,
  });
  const kb = await createKnowledgeBase(db, { tenantId, name: "Opening hours" });
  await addDocument(db, {
    tenantId,
    knowledgeBaseId: kb.id,
    name: "hours.txt",
    kind: "text",
    sizeBytes: 24,
    source: "We open at nine, daily.",
  });
  const suite = await createSuite(db, {
    tenantId,
    agentId,
    name: "Greets callers",
    cases: [
      {
        id: "c",
        name: "greets",
        caller: { kind: "scripted", turns: ["hi"] },
        expectations: [{ type: "must_say", text: "hello" }],
      },
    ],
  });
  const run = await createRun(db, { tenantId, agentId, suiteId: suite!.id });
  return {
    tenantId,
    userId,
    inviteToken: invitation.token,
    params: {
      agentId,
      kbId: kb.id,
      suiteId: suite!.id,
      runId: run!.id,
      callId: inbound.callId,
      memberId: member.membershipId!,
      keyId: key.id,
      invitationId: invitation.id,
      endpointId: endpoint.id,
      numberId: phone!.id,
      campaignId: campaign.id,
    } as Record<string, string>,
  };
}
