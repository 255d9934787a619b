import { neonConfig } from "@neondatabase/serverless";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import ws from "ws";
import { createEdgeDb } from "../../db/edge-client";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { createApiKey, listApiKeys, revokeApiKey, verifyApiKey } from "../../db/queries/api-keys";
import { listAudit } from "../../db/queries/audit";
import { acceptInvitation, createInvitation, findInvitation, revokeInvitation } from "../../db/queries/invitations";
import { changeRole, listMembers, removeMember } from "../../db/queries/members";
import { CODE_MAX_ATTEMPTS, consumeCode, issueCode } from "../../db/queries/one-time-codes";
import { agents, apiKeys, invitations } from "../../db/schema";
import { withApiKeyHash, withInvitationToken, withTenant } from "../../db/tenant";
import { startWsProxy } from "../../db/ws-proxy";
import { ownerQuery, seedTenant, seedUser } from "../support/seed";

let db: NodeDb;
const ownerUrl = () => inject("ownerUrl");
const actor = { userId: null, ip: "203.0.113.9" };

beforeAll(() => {
  db = createNodeDb(inject("appUrl"), { max: 5 });
});
afterAll(() => db.$pool.end());

describe("API keys", () => {
  it("verify only the full, unrevoked key, report its tenant and scopes, and record use", async () => {
    const t = await seedTenant(ownerUrl());
    const { id, key, prefix } = await createApiKey(db, {
      tenantId: t.tenantId,
      name: "backend",
      scopes: ["agents:read", "calls:write"],
      actor,
    });
    expect(key.startsWith(prefix)).toBe(true);
    expect(await verifyApiKey(db, key)).toEqual({ id, tenantId: t.tenantId, scopes: ["agents:read", "calls:write"] });
    expect(await verifyApiKey(db, `${key.slice(0, -1)}${key.endsWith("a") ? "b" : "a"}`)).toBeNull();
    expect(await verifyApiKey(db, "Bearer nonsense")).toBeNull();
    const [listed] = await listApiKeys(db, { tenantId: t.tenantId });
    expect(listed).toMatchObject({ id, prefix, name: "backend" });
    expect(listed!.lastUsedAt).not.toBeNull();
    const stored = await ownerQuery(ownerUrl(), "select key_hash from api_keys where id = $1", [id]);
    expect(JSON.stringify(stored)).not.toContain(key.slice(8));

    expect(await revokeApiKey(db, { id, tenantId: t.tenantId, actor })).toBe(true);
    expect(await verifyApiKey(db, key)).toBeNull();
    expect(await listApiKeys(db, { tenantId: t.tenantId })).toEqual([]);
  });

  it("cannot be revoked by another tenant, and a key hash opens only its own row", async () => {
    const a = await seedTenant(ownerUrl());
    const b = await seedTenant(ownerUrl());
    const ka = await createApiKey(db, { tenantId: a.tenantId, name: "a", scopes: ["agents:read"], actor });
    await createApiKey(db, { tenantId: b.tenantId, name: "b", scopes: ["agents:read"], actor });
    expect(await revokeApiKey(db, { id: ka.id, tenantId: b.tenantId, actor })).toBe(false);
    expect(await verifyApiKey(db, ka.key)).not.toBeNull();
    const { sha256Hex } = await import("../../core/crypto/tokens");
    const visible = await withApiKeyHash(db, sha256Hex(ka.key), (tx) => tx.select({ id: apiKeys.id }).from(apiKeys));
    expect(visible).toEqual([{ id: ka.id }]);
    // The hash policy is read-only: it cannot be used to change the row.
    const changed = await withApiKeyHash(db, sha256Hex(ka.key), (tx) =>
      tx.update(apiKeys).set({ name: "x" }).returning(),
    );
    expect(changed).toEqual([]);
  });
});

describe("invitations", () => {
  it("are accepted once, into the right tenant with the invited role, and then are spent", async () => {
    const t = await seedTenant(ownerUrl(), { name: "Inviting Co" });
    const user = await seedUser(ownerUrl(), { email: `inv-${crypto.randomUUID()}@example.com` });
    const { token } = await createInvitation(db, { tenantId: t.tenantId, email: user.email, role: "viewer", actor });
    expect(await findInvitation(db, token)).toMatchObject({
      tenantId: t.tenantId,
      tenantName: "Inviting Co",
      role: "viewer",
      email: user.email,
    });
    const [a, b] = await Promise.all([
      acceptInvitation(db, { token, userId: user.id, ip: null }),
      acceptInvitation(db, { token, userId: user.id, ip: null }),
    ]);
    expect([a, b].filter(Boolean)).toEqual([{ tenantId: t.tenantId }]);
    expect(await findInvitation(db, token)).toBeNull();
    const members = await listMembers(db, { tenantId: t.tenantId });
    expect(members.find((m) => m.userId === user.id)?.role).toBe("viewer");
  });

  it("stop working when revoked or expired, and a token opens no other invitation", async () => {
    const t = await seedTenant(ownerUrl());
    const other = await seedTenant(ownerUrl());
    const revoked = await createInvitation(db, { tenantId: t.tenantId, email: "r@example.com", role: "member", actor });
    expect(await revokeInvitation(db, { id: revoked.id, tenantId: other.tenantId, actor })).toBe(false);
    expect(await revokeInvitation(db, { id: revoked.id, tenantId: t.tenantId, actor })).toBe(true);
    expect(await findInvitation(db, revoked.token)).toBeNull();

    const expired = await createInvitation(db, { tenantId: t.tenantId, email: "e@example.com", role: "member", actor });
    await ownerQuery(ownerUrl(), "update invitations set expires_at = now() - interval '1 second' where id = $1", [
      expired.id,
    ]);
    expect(await findInvitation(db, expired.token)).toBeNull();

    const live = await createInvitation(db, {
      tenantId: other.tenantId,
      email: "l@example.com",
      role: "member",
      actor,
    });
    const { sha256Hex } = await import("../../core/crypto/tokens");
    const seen = await withInvitationToken(db, sha256Hex(live.token), (tx) =>
      tx.select({ id: invitations.id }).from(invitations),
    );
    expect(seen).toEqual([{ id: live.id }]);
    const agentsSeen = await withInvitationToken(db, sha256Hex(live.token), (tx) => tx.select().from(agents));
    expect(agentsSeen).toEqual([]);
  });
});

describe("members", () => {
  it("a tenant always keeps one owner, even when two owners are demoted at once", async () => {
    const t = await seedTenant(ownerUrl());
    const u1 = await seedUser(ownerUrl(), { tenantId: t.tenantId, role: "owner" });
    const u2 = await seedUser(ownerUrl(), { tenantId: t.tenantId, role: "owner" });
    const results = await Promise.all([
      changeRole(db, { id: u1.membershipId!, tenantId: t.tenantId, role: "admin", actor }),
      changeRole(db, { id: u2.membershipId!, tenantId: t.tenantId, role: "admin", actor }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: "last_owner" }]);
    const owners = (await listMembers(db, { tenantId: t.tenantId })).filter((m) => m.role === "owner");
    expect(owners).toHaveLength(1);
    expect(await removeMember(db, { id: owners[0]!.id, tenantId: t.tenantId, actor })).toEqual({
      ok: false,
      reason: "last_owner",
    });
  });

  it("removal ends the member's sessions in that tenant and is audited with actor and IP", async () => {
    const t = await seedTenant(ownerUrl());
    const boss = await seedUser(ownerUrl(), { tenantId: t.tenantId, role: "owner" });
    const m = await seedUser(ownerUrl(), { tenantId: t.tenantId, role: "member" });
    await ownerQuery(
      ownerUrl(),
      "insert into sessions (id, user_id, active_tenant_id, expires_at) values ($1, $2, $3, now() + interval '1 day')",
      [crypto.randomUUID(), m.id, t.tenantId],
    );
    const by = { userId: boss.id, ip: "198.51.100.7" };
    expect(await removeMember(db, { id: m.membershipId!, tenantId: t.tenantId, actor: by })).toEqual({ ok: true });
    expect(await ownerQuery(ownerUrl(), "select id from sessions where user_id = $1", [m.id])).toEqual([]);
    const [entry] = await listAudit(db, { tenantId: t.tenantId, action: "member." });
    expect(entry).toMatchObject({
      action: "member.removed",
      ip: "198.51.100.7",
      actorEmail: boss.email,
      targetId: m.id,
    });
    expect(await listAudit(db, { tenantId: (await seedTenant(ownerUrl())).tenantId })).toEqual([]);
  });

  // removeMember and changeRole are what the portal's team page (Settings → Team → Manage) calls.
  it("API keys die with their creator's membership: removed, or lowered below admin; each revocation audited", async () => {
    const t = await seedTenant(ownerUrl());
    const other = await seedTenant(ownerUrl());
    const boss = await seedUser(ownerUrl(), { tenantId: t.tenantId, role: "owner" });
    const by = { userId: boss.id, ip: "198.51.100.8" };
    const keyOf = async (userId: string, tenantId = t.tenantId) =>
      createApiKey(db, { tenantId, name: "k", scopes: ["agents:read"], actor: { userId, ip: null } });
    const ada = await seedUser(ownerUrl(), { tenantId: t.tenantId, role: "admin" });
    await ownerQuery(ownerUrl(), "insert into memberships (tenant_id, user_id, role) values ($1, $2, 'admin')", [
      other.tenantId,
      ada.id,
    ]);
    const adaKeys = [await keyOf(ada.id), await keyOf(ada.id)];
    const adaElsewhere = await keyOf(ada.id, other.tenantId);
    const bossKey = await keyOf(boss.id);
    expect(await removeMember(db, { id: ada.membershipId!, tenantId: t.tenantId, actor: by })).toEqual({ ok: true });
    for (const k of adaKeys) expect(await verifyApiKey(db, k.key)).toBeNull();
    expect(await verifyApiKey(db, adaElsewhere.key)).not.toBeNull(); // her key for the team she is still in
    expect(await verifyApiKey(db, bossKey.key)).not.toBeNull();
    const revoked = await listAudit(db, { tenantId: t.tenantId, action: "api_key.revoked" });
    expect(revoked.map((e) => e.targetId).sort()).toEqual(adaKeys.map((k) => k.id).sort());
    expect(revoked[0]).toMatchObject({
      ip: "198.51.100.8",
      actorEmail: boss.email,
      metadata: { reason: "creator_removed" },
    });

    // Owner to admin keeps them (an admin makes keys too); admin to member or viewer revokes them.
    const bo = await seedUser(ownerUrl(), { tenantId: t.tenantId, role: "owner" });
    const boKey = await keyOf(bo.id);
    await changeRole(db, { id: bo.membershipId!, tenantId: t.tenantId, role: "admin", actor: by });
    expect(await verifyApiKey(db, boKey.key)).not.toBeNull();
    await changeRole(db, { id: bo.membershipId!, tenantId: t.tenantId, role: "viewer", actor: by });
    expect(await verifyApiKey(db, boKey.key)).toBeNull();
    expect(
      (await listAudit(db, { tenantId: t.tenantId, action: "api_key.revoked" })).find((e) => e.targetId === boKey.id),
    ).toMatchObject({ metadata: { reason: "creator_role_lowered" } });
    // Promoted again, the old key stays dead: a new one is made on purpose.
    await changeRole(db, { id: bo.membershipId!, tenantId: t.tenantId, role: "admin", actor: by });
    expect(await verifyApiKey(db, boKey.key)).toBeNull();
    // A refused change (the last owner) revokes nothing.
    const solo = await seedTenant(ownerUrl());
    const only = await seedUser(ownerUrl(), { tenantId: solo.tenantId, role: "owner" });
    const onlyKey = await keyOf(only.id, solo.tenantId);
    expect(
      await changeRole(db, { id: only.membershipId!, tenantId: solo.tenantId, role: "viewer", actor: by }),
    ).toEqual({ ok: false, reason: "last_owner" });
    expect(await removeMember(db, { id: only.membershipId!, tenantId: solo.tenantId, actor: by })).toEqual({
      ok: false,
      reason: "last_owner",
    });
    expect(await verifyApiKey(db, onlyKey.key)).not.toBeNull();
  });
});

describe("emailed codes", () => {
  it("work once, die after five wrong guesses, and expire after ten minutes", async () => {
    const u = await seedUser(ownerUrl());
    const code = await issueCode(db, { userId: u.id, purpose: "verify_email", email: u.email });
    expect(code).toMatch(/^\d{6}$/);
    const wrong = code === "000000" ? "111111" : "000000";
    expect(await consumeCode(db, { userId: u.id, purpose: "verify_email", code: wrong })).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await consumeCode(db, { userId: u.id, purpose: "change_email", code })).toEqual({
      ok: false,
      reason: "expired",
    });
    expect(await consumeCode(db, { userId: u.id, purpose: "verify_email", code })).toEqual({
      ok: true,
      email: u.email,
    });
    expect(await consumeCode(db, { userId: u.id, purpose: "verify_email", code })).toEqual({
      ok: false,
      reason: "expired",
    });

    const again = await issueCode(db, { userId: u.id, purpose: "verify_email", email: u.email });
    for (let i = 0; i < CODE_MAX_ATTEMPTS; i++)
      await consumeCode(db, { userId: u.id, purpose: "verify_email", code: again === "000000" ? "111111" : "000000" });
    expect(await consumeCode(db, { userId: u.id, purpose: "verify_email", code: again })).toEqual({
      ok: false,
      reason: "expired",
    });

    const late = await issueCode(db, { userId: u.id, purpose: "verify_email", email: u.email });
    await ownerQuery(
      ownerUrl(),
      "update one_time_codes set expires_at = now() - interval '1 second' where user_id = $1 and used_at is null",
      [u.id],
    );
    expect(await consumeCode(db, { userId: u.id, purpose: "verify_email", code: late })).toEqual({
      ok: false,
      reason: "expired",
    });
  });
});

describe("row-level security through the edge's Neon driver", () => {
  it("binds one tenant per transaction and shows nothing unbound", async () => {
    neonConfig.webSocketConstructor = ws;
    const proxy = await startWsProxy(0);
    const edge = createEdgeDb(inject("appUrl"), { wsProxy: `127.0.0.1:${(proxy.address() as { port: number }).port}` });
    try {
      const a = await seedTenant(ownerUrl());
      const b = await seedTenant(ownerUrl());
      const seen = await withTenant(edge.db, a.tenantId, (tx) => tx.select({ t: agents.tenantId }).from(agents));
      expect(seen).toEqual([{ t: a.tenantId }]);
      const stolen = await withTenant(edge.db, a.tenantId, (tx) =>
        tx.update(agents).set({ name: "x" }).where(eq(agents.id, b.agentId)).returning(),
      );
      expect(stolen).toEqual([]);
      const unbound = await edge.db.execute(sql`select count(*)::int as n from agents`);
      expect((unbound as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(0);
    } finally {
      await edge.end();
      proxy.close();
    }
  });
});
