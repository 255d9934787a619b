import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import { auditLog, users } from "../schema";
import { type Db, type Tx, withTenant } from "../tenant";

/** Who did it and from where; passed down from the request to every audited change. */
export type Actor = { userId: string | null; ip: string | null };

export const auditActions = [
  "auth.login_succeeded",
  "auth.login_failed",
  "auth.password_changed",
  "auth.email_changed",
  "auth.two_factor_enabled",
  "auth.two_factor_disabled",
  "member.invited",
  "member.invite_revoked",
  "member.joined",
  "member.role_changed",
  "member.removed",
  "api_key.created",
  "api_key.revoked",
  "agent.created",
  "agent.updated",
  "agent.deleted",
  "agent.restored",
  "call.ended_by_admin",
  "number.attached",
  "number.added",
  "number.released",
  "webhook.created",
  "provider_key.set",
  "provider_key.removed",
  "webhook.deleted",
  "webhook.updated",
  "webhook.secret_rotated",
  "widget.saved",
  "recordings.retention_changed",
] as const;
export type AuditAction = (typeof auditActions)[number];

export type AuditEntry = {
  tenantId: string;
  actor: Actor;
  action: AuditAction;
  target?: { type: string; id: string };
  /** Descriptive only: names, roles, scopes. Never a secret, a token or personal data. */
  metadata?: Record<string, string | number | boolean | string[] | null>;
};

/** Writes one audit row inside the caller's tenant-bound transaction, so it commits with the change. */
export async function recordAudit(tx: Tx, e: AuditEntry) {
  await tx.insert(auditLog).values({
    tenantId: e.tenantId,
    actorUserId: e.actor.userId,
    ip: e.actor.ip,
    action: e.action,
    targetType: e.target?.type ?? null,
    targetId: e.target?.id ?? null,
    metadata: e.metadata ?? {},
  });
}

export const recordAuditFor = (db: Db, e: AuditEntry) => withTenant(db, e.tenantId, (tx) => recordAudit(tx, e));

export type AuditFilter = { action?: string; actorUserId?: string; from?: Date; to?: Date; limit?: number };

export function listAudit(
  db: Db,
  { tenantId, action, actorUserId, from, to, limit = 100 }: AuditFilter & { tenantId: string },
) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: auditLog.id,
        createdAt: auditLog.createdAt,
        action: auditLog.action,
        targetType: auditLog.targetType,
        targetId: auditLog.targetId,
        ip: auditLog.ip,
        metadata: auditLog.metadata,
        actorEmail: users.email,
      })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorUserId))
      .where(
        and(
          eq(auditLog.tenantId, tenantId),
          action ? sql`${auditLog.action} like ${`${action}%`}` : undefined,
          actorUserId ? eq(auditLog.actorUserId, actorUserId) : undefined,
          from ? gte(auditLog.createdAt, from) : undefined,
          to ? lt(auditLog.createdAt, to) : undefined,
        ),
      )
      .orderBy(desc(auditLog.createdAt))
      .limit(limit),
  );
}
