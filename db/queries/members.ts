import { and, asc, eq } from "drizzle-orm";
import { apiKeyRoles, memberships, type Role, sessions, users } from "../schema";
import { type Db, type Tx, withTenant } from "../tenant";
import { revokeKeysMadeBy } from "./api-keys";
import { type Actor, recordAudit } from "./audit";

export function listMembers(db: Db, { tenantId }: { tenantId: string }) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: memberships.id,
        role: memberships.role,
        userId: users.id,
        name: users.name,
        email: users.email,
        createdAt: memberships.createdAt,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.tenantId, tenantId))
      .orderBy(asc(memberships.createdAt)),
  );
}

export async function getMember(db: Db, { id, tenantId }: { id: string; tenantId: string }) {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: memberships.id,
        role: memberships.role,
        userId: users.id,
        name: users.name,
        email: users.email,
        createdAt: memberships.createdAt,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.id, id), eq(memberships.tenantId, tenantId))),
  );
  return row ?? null;
}

export type MemberChange = { ok: true } | { ok: false; reason: "not_found" | "last_owner" };

/** Locks the tenant's owner rows first, so two concurrent demotions cannot leave it without one. */
async function ownersLocked(tx: Tx, tenantId: string) {
  const owners = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, "owner")))
    .for("update");
  return owners.map((o) => o.id);
}

/** Changes a member's role; lowered below the key-making roles, the API keys they made for this team are revoked. */
export function changeRole(
  db: Db,
  { id, tenantId, role, actor }: { id: string; tenantId: string; role: Role; actor: Actor },
): Promise<MemberChange> {
  return withTenant(db, tenantId, async (tx) => {
    const owners = await ownersLocked(tx, tenantId);
    const [target] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.id, id), eq(memberships.tenantId, tenantId)))
      .for("update");
    if (!target) return { ok: false, reason: "not_found" };
    if (target.role === "owner" && role !== "owner" && owners.length <= 1) return { ok: false, reason: "last_owner" };
    if (target.role === role) return { ok: true };
    await tx.update(memberships).set({ role }).where(eq(memberships.id, id));
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "member.role_changed",
      target: { type: "user", id: target.userId },
      metadata: { from: target.role, to: role },
    });
    const keeps = (apiKeyRoles as readonly Role[]).includes(role);
    if (!keeps) await revokeKeysMadeBy(tx, { tenantId, userId: target.userId, actor, reason: "creator_role_lowered" });
    return { ok: true };
  });
}

/** Removes a member, ends their sessions in this tenant and revokes the API keys they made for it, at once. */
export function removeMember(
  db: Db,
  { id, tenantId, actor }: { id: string; tenantId: string; actor: Actor },
): Promise<MemberChange> {
  return withTenant(db, tenantId, async (tx) => {
    const owners = await ownersLocked(tx, tenantId);
    const [target] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.id, id), eq(memberships.tenantId, tenantId)))
      .for("update");
    if (!target) return { ok: false, reason: "not_found" };
    if (target.role === "owner" && owners.length <= 1) return { ok: false, reason: "last_owner" };
    await tx.delete(memberships).where(eq(memberships.id, id));
    await tx.delete(sessions).where(and(eq(sessions.userId, target.userId), eq(sessions.activeTenantId, tenantId)));
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "member.removed",
      target: { type: "user", id: target.userId },
      metadata: { role: target.role },
    });
    await revokeKeysMadeBy(tx, { tenantId, userId: target.userId, actor, reason: "creator_removed" });
    return { ok: true };
  });
}
