import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { AgentTool } from "../../core/agent-tools";
import { createPiiCipher, generatePiiKey } from "../../core/crypto/pii";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { totpKeyField } from "../../db/pii-columns";
import { rotatePii } from "../../db/pii-rotation";
import { getCall, listCalls } from "../../db/queries/calls";
import { routeInboundCall } from "../../db/queries/inbound-calls";
import { enableTwoFactor, startTwoFactorEnrolment } from "../../db/queries/two-factor";
import { createWebhookEndpoint, listWebhookEndpoints } from "../../db/queries/webhook-endpoints";
import { openToolHeaders, sealToolHeaders } from "../../db/tool-headers";
import { ownerQuery, seedTenant, seedUser } from "../support/seed";

let db: NodeDb;
const ownerUrl = () => inject("ownerUrl");
const k1 = generatePiiKey("k1");
const k2 = generatePiiKey("k2");
const blindIndexKey = "blind-index-key-for-tests";
const actor = { userId: null, ip: null };
const sid = () => `CA${crypto.randomUUID().replace(/-/g, "")}`;

beforeAll(() => {
  db = createNodeDb(inject("appUrl"), { max: 5 });
});
afterAll(() => db.$pool.end());

async function call(pii: ReturnType<typeof createPiiCipher>, number: string, from: string) {
  const r = await routeInboundCall(db, pii, { to: number, from, providerCallSid: sid(), signer: "platform" });
  if (r.kind !== "connect") throw new Error(r.kind);
  return r.callId;
}

describe("personal data at rest", () => {
  it("finds a caller's calls through the blind index, and decrypts them for their tenant only", async () => {
    const pii = createPiiCipher({ keys: k1, blindIndexKey });
    const t = await seedTenant(ownerUrl());
    const other = await seedTenant(ownerUrl());
    const mine = await call(pii, t.number, "+14155550111");
    await call(pii, t.number, "+14155550222");
    await call(pii, other.number, "+14155550111");

    const found = await listCalls(db, pii, { tenantId: t.tenantId, from: "+1 (415) 555-0111" });
    expect(found.map((c) => [c.id, c.fromNumber])).toEqual([[mine, "+14155550111"]]);
    expect((await listCalls(db, pii, { tenantId: t.tenantId })).length).toBe(2);
    expect(await getCall(db, pii, { id: mine, tenantId: t.tenantId })).toMatchObject({
      fromNumber: "+14155550111",
      toNumber: t.number,
    });
  });

  it("will not decrypt a value copied into another tenant's row", async () => {
    const pii = createPiiCipher({ keys: k1, blindIndexKey });
    const a = await seedTenant(ownerUrl());
    const b = await seedTenant(ownerUrl());
    const fromA = await call(pii, a.number, "+14155550333");
    const fromB = await call(pii, b.number, "+14155550444");
    await ownerQuery(
      ownerUrl(),
      "update calls set from_number = (select from_number from calls where id = $1) where id = $2",
      [fromA, fromB],
    );
    await expect(getCall(db, pii, { id: fromB, tenantId: b.tenantId })).rejects.toThrow(/does not decrypt/);
  });

  it("rotates every value to the newest key in batches, keeps lookups working, and encrypts legacy plaintext", async () => {
    const old = createPiiCipher({ keys: k1, blindIndexKey });
    const t = await seedTenant(ownerUrl());
    const ids = [await call(old, t.number, "+14155550555"), await call(old, t.number, "+14155550666")];
    // A row written before encryption existed (plaintext), in its own tenant.
    const legacy = await seedTenant(ownerUrl());
    await ownerQuery(
      ownerUrl(),
      "insert into calls (tenant_id, direction, from_number, to_number) values ($1, 'inbound', '+14155550777', $2)",
      [legacy.tenantId, legacy.number],
    );
    const hook = await createWebhookEndpoint(db, old, {
      tenantId: t.tenantId,
      url: "https://hooks.example.com/bvrai?token=abc",
      events: [],
      actor,
    });
    const u = await seedUser(ownerUrl());
    await startTwoFactorEnrolment(db, {
      userId: u.id,
      encryptedKey: await old.encrypt("totp-key-b64", totpKeyField(u.id)),
    });
    await enableTwoFactor(db, { userId: u.id, recoveryCodes: ["aaaaa-bbbbb"] });

    const both = createPiiCipher({ keys: `${k2},${k1}`, blindIndexKey });
    let readsDuringRotation = 0;
    const report = await rotatePii(db, both, {
      batchSize: 1,
      // The app keeps serving mid-rotation: rows under either key read fine.
      afterBatch: async () => {
        readsDuringRotation += (await listCalls(db, both, { tenantId: t.tenantId })).length;
      },
    });
    expect(report.rewritten).toBeGreaterThanOrEqual(8);

    const rows = await ownerQuery<{ from_number: string; to_number: string }>(
      ownerUrl(),
      "select from_number, to_number from calls where tenant_id = any($1)",
      [[t.tenantId, legacy.tenantId]],
    );
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r.from_number).toMatch(/^pii1\.k2\./);
      expect(r.to_number).toMatch(/^pii1\.k2\./);
    }
    const [endpoint] = await ownerQuery<{ url: string; secret: string }>(
      ownerUrl(),
      "select url, secret from webhook_endpoints where id = $1",
      [hook.id],
    );
    expect(endpoint!.url).toMatch(/^pii1\.k2\./);
    expect(endpoint!.secret).toMatch(/^pii1\.k2\./);
    const [user] = await ownerQuery<{ totp_key: string }>(ownerUrl(), "select totp_key from users where id = $1", [
      u.id,
    ]);
    expect(await both.decrypt(user!.totp_key, totpKeyField(u.id))).toBe("totp-key-b64");

    // With the old key gone, everything still reads, and the legacy row is now findable.
    const onlyNew = createPiiCipher({ keys: k2, blindIndexKey });
    expect((await listWebhookEndpoints(db, onlyNew, { tenantId: t.tenantId }))[0]!.url).toBe(
      "https://hooks.example.com/bvrai?token=abc",
    );
    expect((await listCalls(db, onlyNew, { tenantId: t.tenantId, from: "+14155550555" })).map((c) => c.id)).toEqual([
      ids[0],
    ]);
    expect((await listCalls(db, onlyNew, { tenantId: legacy.tenantId, from: "+14155550777" })).length).toBe(1);
    expect(readsDuringRotation).toBeGreaterThan(0);
    // A second run finds nothing to do; the value copied across tenants (test above) stays unreadable.
    const again = await rotatePii(db, both);
    expect(again.rewritten).toBe(0);
    expect(again.unreadable).toBe(report.unreadable);
  });
  it("rotation also seals HTTP tools' header values saved in clear, and moves sealed ones to the newest key, in agents and their versions", async () => {
    const old = createPiiCipher({ keys: k1, blindIndexKey });
    const t = await seedTenant(ownerUrl());
    const legacy = [
      {
        type: "http",
        name: "crm",
        description: "CRM",
        parameters: {},
        url: "https://crm.example.com/x",
        method: "POST",
        headers: { "X-Api-Key": "legacy-crm-key" },
      },
    ] as AgentTool[];
    const sealed = await sealToolHeaders(old, {
      tenantId: t.tenantId,
      tools: [{ ...legacy[0]!, name: "erp", headers: { Authorization: "old-key-token" } }] as AgentTool[],
    });
    if (!("tools" in sealed)) throw new Error(sealed.problem);
    await ownerQuery(ownerUrl(), "update agents set tools = $1 where id = $2", [
      JSON.stringify([...legacy, ...sealed.tools]),
      t.agentId,
    ]);
    await ownerQuery(
      ownerUrl(),
      "insert into agent_versions (tenant_id, agent_id, version, settings) values ($1, $2, 1, $3)",
      [t.tenantId, t.agentId, JSON.stringify({ name: "Receptionist", tools: legacy })],
    );

    const both = createPiiCipher({ keys: `${k2},${k1}`, blindIndexKey });
    await rotatePii(db, both, { batchSize: 1 });
    const dump = JSON.stringify(
      await ownerQuery(
        ownerUrl(),
        "select a.tools, v.settings from agents a join agent_versions v on v.agent_id = a.id where a.id = $1",
        [t.agentId],
      ),
    );
    expect(dump).not.toContain("legacy-crm-key");
    expect(dump).not.toContain("pii1.k1.");
    const onlyNew = createPiiCipher({ keys: k2, blindIndexKey });
    const [agent] = await ownerQuery<{ tools: AgentTool[] }>(ownerUrl(), "select tools from agents where id = $1", [
      t.agentId,
    ]);
    const [version] = await ownerQuery<{ settings: { tools: AgentTool[]; name: string } }>(
      ownerUrl(),
      "select settings from agent_versions where agent_id = $1",
      [t.agentId],
    );
    const opened = await openToolHeaders(onlyNew, {
      tenantId: t.tenantId,
      tools: [...agent!.tools, ...version!.settings.tools],
    });
    expect(opened.map((o) => (o.type === "http" ? o.headers : null))).toEqual([
      { "X-Api-Key": "legacy-crm-key" },
      { Authorization: "old-key-token" },
      { "X-Api-Key": "legacy-crm-key" },
    ]);
    expect(version!.settings.name).toBe("Receptionist"); // the rest of the snapshot is untouched
  });
});
