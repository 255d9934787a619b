import { and, count, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { randomToken, sha256Hex } from "../../core/crypto/tokens";
import { invitations, memberships, type Role, tenants, users } from "../schema";
import { bindTenant, type Db, withInvitationToken, withTenant } from "../tenant";
import { normalizeEmail } from "./accounts";
import { type Actor, recordAudit } from "./audit";
import { checkPlanLimit } from "./billing";

export const INVITATION_LIFETIME_MS = 7 * 24 * 3600_000;
const pending = () =>
  and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, sql`now()`));

export class AlreadyMemberError extends Error {
  constructor() {
    super("That person is already a member of this team.");
  }
}

/** A new invitation; the token goes in the emailed link only, we keep its hash. */
export function createInvitation(db: Db, input: { tenantId: string; email: string; role: Role; actor: Actor }) {
  const email = normalizeEmail(input.email);
  const token = randomToken();
  return withTenant(db, input.tenantId, async (tx) => {
    const [member] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.tenantId, input.tenantId), sql`lower(${users.email}) = ${email}`));
    if (member) throw new AlreadyMemberError();
    // Seats: members plus invitations still open.
    const [{ members }] = (await tx
      .select({ members: count() })
      .from(memberships)
      .where(eq(memberships.tenantId, input.tenantId))) as [{ members: number }];
    const [{ open }] = (await tx
      .select({ open: count() })
      .from(invitations)
      .where(and(eq(invitations.tenantId, input.tenantId), pending()))) as [{ open: number }];
    await checkPlanLimit(tx, input.tenantId, "seats", "team members", members + open);
    const [row] = await tx
      .insert(invitations)
      .values({
        tenantId: input.tenantId,
        email,
        role: input.role,
        tokenHash: sha256Hex(token),
        invitedByUserId: input.actor.userId,
        expiresAt: new Date(Date.now() + INVITATION_LIFETIME_MS),
      })
      .returning({ id: invitations.id });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "member.invited",
      target: { type: "invitation", id: row!.id },
      metadata: { role: input.role },
    });
    return { id: row!.id, token };
  });
}

export function listInvitations(db: Db, { tenantId }: { tenantId: string }) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: invitations.id,
        email: invitations.email,
        role: invitations.role,
        expiresAt: invitations.expiresAt,
        createdAt: invitations.createdAt,
      })
      .from(invitations)
      .where(and(eq(invitations.tenantId, tenantId), pending()))
      .orderBy(desc(invitations.createdAt)),
  );
}

export function revokeInvitation(db: Db, { id, tenantId, actor }: { id: string; tenantId: string; actor: Actor }) {
  return withTenant(db, tenantId, async (tx) => {
    const rows = await tx
      .update(invitations)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(invitations.id, id), eq(invitations.tenantId, tenantId), pending()))
      .returning({ id: invitations.id });
    if (rows.length)
      await recordAudit(tx, { tenantId, actor, action: "member.invite_revoked", target: { type: "invitation", id } });
    return rows.length > 0;
  });
}

/** The pending invitation a link's token opens, with its team's name; null if used, revoked or expired. */
export function findInvitation(db: Db, token: string) {
  return withInvitationToken(db, sha256Hex(token), async (tx) => {
    const [inv] = await tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.tokenHash, sha256Hex(token)), pending()));
    if (!inv) return null;
    await bindTenant(tx, inv.tenantId);
    const [tenant] = await tx.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, inv.tenantId));
    return { id: inv.id, tenantId: inv.tenantId, tenantName: tenant?.name ?? "", email: inv.email, role: inv.role };
  });
}

/** Joins the user to the invitation's tenant, once; the invitation is spent whatever happens next. */
export function acceptInvitation(db: Db, { token, userId, ip }: { token: string; userId: string; ip: string | null }) {
  return withInvitationToken(db, sha256Hex(token), async (tx) => {
    const [inv] = await tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.tokenHash, sha256Hex(token)), pending()));
    if (!inv) return null;
    await bindTenant(tx, inv.tenantId);
    // The conditional update is the lock: of two concurrent accepts, one finds nothing pending.
    const spent = await tx
      .update(invitations)
      .set({ acceptedAt: sql`now()` })
      .where(and(eq(invitations.id, inv.id), pending()))
      .returning({ id: invitations.id });
    if (!spent.length) return null;
    await tx.insert(memberships).values({ tenantId: inv.tenantId, userId, role: inv.role }).onConflictDoNothing();
    await recordAudit(tx, {
      tenantId: inv.tenantId,
      actor: { userId, ip },
      action: "member.joined",
      target: { type: "user", id: userId },
      metadata: { role: inv.role },
    });
    return { tenantId: inv.tenantId };
  });
}
