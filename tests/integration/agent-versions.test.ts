import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApi } from "../../app/api/app";
import { telephonyFrom } from "../../app/telephony/numbers.server";
import { createPiiCipher, generatePiiKey } from "../../core/crypto/pii";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { listAgentVersions, restoreAgentVersion } from "../../db/queries/agent-versions";
import { createAgent, getAgent, updateAgent } from "../../db/queries/agents";
import { createApiKey } from "../../db/queries/api-keys";
import { answerCall } from "../../db/queries/call-lifecycle";
import { routeInboundCall } from "../../db/queries/inbound-calls";
import { agentVersions } from "../../db/schema";
import { withTenant } from "../../db/tenant";
import { testApiServices } from "../support/api";
import { ownerQuery, seedTenant } from "../support/seed";

let db: NodeDb;
const pii = createPiiCipher({ keys: generatePiiKey("versions"), blindIndexKey: "versions-index" });
const actor = { userId: null, ip: null };
const base = {
  name: "Front desk",
  systemPrompt: "Greet.\nTake a message.",
  firstMessage: "Hi!",
  voice: "sandbox-alloy",
  model: "gpt-4o-mini",
};

beforeAll(() => {
  db = createNodeDb(inject("appUrl"), { max: 3 });
});
afterAll(() => db?.$pool.end());

describe("agent versions", () => {
  it("every save is a new version holding the settings as saved; restore copies an old one into a new version", async () => {
    const t = await seedTenant(inject("ownerUrl"));
    const agent = await createAgent(db, { tenantId: t.tenantId, actor, ...base });
    const v2 = await updateAgent(db, {
      id: agent.id,
      tenantId: t.tenantId,
      actor,
      version: 1,
      ...base,
      systemPrompt: "Greet.\nBook a table.",
      temperature: "0.30",
    });
    expect(v2).toEqual({ ok: true, version: 2 });
    await updateAgent(db, {
      id: agent.id,
      tenantId: t.tenantId,
      actor,
      version: 2,
      ...base,
      name: "Night desk",
      tools: [{ type: "end_call" }],
    });

    const versions = await listAgentVersions(db, { agentId: agent.id, tenantId: t.tenantId });
    expect(versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(versions[2]!.settings).toMatchObject({
      name: "Front desk",
      systemPrompt: "Greet.\nTake a message.",
      temperature: "0.70",
      tools: [],
    });
    expect(versions[1]!.settings).toMatchObject({ systemPrompt: "Greet.\nBook a table.", temperature: "0.30" });
    expect(versions[0]!.settings).toMatchObject({ name: "Night desk", tools: [{ type: "end_call" }] });

    const restored = await restoreAgentVersion(db, { agentId: agent.id, tenantId: t.tenantId, version: 1, actor });
    expect(restored).toMatchObject({
      version: 4,
      name: "Front desk",
      systemPrompt: "Greet.\nTake a message.",
      temperature: "0.70",
      tools: [],
    });
    const after = await listAgentVersions(db, { agentId: agent.id, tenantId: t.tenantId });
    expect(after[0]).toMatchObject({ version: 4, restoredFrom: 1 });
    expect(after[0]!.settings).toEqual(after[3]!.settings);
    const audit = await ownerQuery<{ action: string }>(
      inject("ownerUrl"),
      "select action from audit_log where tenant_id = $1 and action = 'agent.restored'",
      [t.tenantId],
    );
    expect(audit).toHaveLength(1);

    // An edit made against the version before the restore is stale.
    expect(await updateAgent(db, { id: agent.id, tenantId: t.tenantId, actor, version: 3, ...base })).toEqual({
      ok: false,
      reason: "conflict",
    });
    // A version that does not exist, or another tenant's agent, restores nothing.
    expect(await restoreAgentVersion(db, { agentId: agent.id, tenantId: t.tenantId, version: 99, actor })).toBeNull();
    const other = await seedTenant(inject("ownerUrl"));
    expect(
      await restoreAgentVersion(db, { agentId: agent.id, tenantId: other.tenantId, version: 1, actor }),
    ).toBeNull();
    expect(await listAgentVersions(db, { agentId: agent.id, tenantId: other.tenantId })).toEqual([]);
    expect((await getAgent(db, { id: agent.id, tenantId: t.tenantId }))?.version).toBe(4);
  });

  it("versions cannot be changed or removed by the application, even its own tenant's", async () => {
    const t = await seedTenant(inject("ownerUrl"));
    const agent = await createAgent(db, { tenantId: t.tenantId, actor, ...base });
    const denied = { cause: { message: expect.stringMatching(/permission denied/) } };
    await expect(
      withTenant(db, t.tenantId, (tx) =>
        tx.update(agentVersions).set({ version: 9 }).where(eq(agentVersions.agentId, agent.id)),
      ),
    ).rejects.toMatchObject(denied);
    // Only key rotation re-seals what settings hold, in a maintenance transaction: a request changes nothing.
    const changed = await withTenant(db, t.tenantId, (tx) =>
      tx.update(agentVersions).set({ settings: {} }).where(eq(agentVersions.agentId, agent.id)).returning(),
    );
    expect(changed).toEqual([]);
    await expect(
      withTenant(db, t.tenantId, (tx) => tx.delete(agentVersions).where(eq(agentVersions.agentId, agent.id))),
    ).rejects.toMatchObject(denied);
    expect((await listAgentVersions(db, { agentId: agent.id, tenantId: t.tenantId }))[0]!.settings).toMatchObject({
      name: "Front desk",
    });
  });

  it("a call records the version of the agent it ran", async () => {
    const t = await seedTenant(inject("ownerUrl"));
    await updateAgent(db, { id: t.agentId, tenantId: t.tenantId, actor, version: 1, ...base });
    const call = await routeInboundCall(db, pii, {
      to: t.number,
      from: "+14155550101",
      providerCallSid: `CA${crypto.randomUUID().replace(/-/g, "")}`,
      signer: "platform",
    });
    if (call.kind !== "connect") throw new Error("expected a call");
    await answerCall(db, { tenantId: t.tenantId, callId: call.callId, agentId: t.agentId });
    const [row] = await ownerQuery<{ agent_version: number }>(
      inject("ownerUrl"),
      "select agent_version from calls where id = $1",
      [call.callId],
    );
    expect(row!.agent_version).toBe(2);
  });

  it("the API lists versions with their settings and restores one", async () => {
    const t = await seedTenant(inject("ownerUrl"));
    const agent = await createAgent(db, { tenantId: t.tenantId, actor, ...base });
    await updateAgent(db, { id: agent.id, tenantId: t.tenantId, actor, version: 1, ...base, language: "fr" });
    const { key } = await createApiKey(db, {
      tenantId: t.tenantId,
      name: "ci",
      scopes: ["agents:read", "agents:write"],
      actor,
    });
    const api = createApi(
      testApiServices(
        telephonyFrom(
          {
            TWILIO_ACCOUNT_SID: "AC0",
            TWILIO_AUTH_TOKEN: "unused",
            TWILIO_API_URL: "http://127.0.0.1:9",
            EDGE_PUBLIC_URL: "https://edge.bvrai.test",
          },
          db,
          pii,
        ),
      ),
    );
    const auth = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const list = await api.request(`/agents/${agent.id}/versions`, { headers: auth });
    expect(list.status).toBe(200);
    const { data } = (await list.json()) as {
      data: { version: number; settings: { language: string; temperature: number } }[];
    };
    expect(data.map((v) => [v.version, v.settings.language])).toEqual([
      [2, "fr"],
      [1, "en"],
    ]);
    expect(data[1]!.settings.temperature).toBe(0.7);

    const restore = await api.request(`/agents/${agent.id}/versions/1/restore`, { method: "POST", headers: auth });
    expect(restore.status).toBe(200);
    expect(await restore.json()).toMatchObject({ version: 3, language: "en" });
    const missing = await api.request(`/agents/${agent.id}/versions/7/restore`, { method: "POST", headers: auth });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
  });
});
