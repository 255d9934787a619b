import { and, eq, ne, sql } from "drizzle-orm";
import { sessions, users } from "../schema";
import type { Db } from "../tenant";

export type NewSession = {
  id: string;
  userId: string;
  activeTenantId: string | null;
  expiresAt: Date;
  twoFactorPending?: boolean;
};

export const insertSession = (db: Db, s: NewSession) => db.insert(sessions).values(s);

export async function findSession(db: Db, id: string) {
  const [row] = await db
    .select({
      session: sessions,
      user: {
        id: users.id,
        email: users.email,
        name: users.name,
        emailVerifiedAt: users.emailVerifiedAt,
        totpEnabledAt: users.totpEnabledAt,
      },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id));
  return row ?? null;
}

export const touchSession = (db: Db, id: string) =>
  db.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.id, id));

export const deleteSession = (db: Db, id: string) => db.delete(sessions).where(eq(sessions.id, id));

export const setActiveTenant = (db: Db, id: string, tenantId: string) =>
  db.update(sessions).set({ activeTenantId: tenantId }).where(eq(sessions.id, id));

/** Ends every session of a user, or all but one (the one the user is using). */
export const deleteUserSessions = (db: Db, userId: string, exceptId?: string) =>
  db.delete(sessions).where(and(eq(sessions.userId, userId), exceptId ? ne(sessions.id, exceptId) : undefined));

export async function countOtherSessions(db: Db, userId: string, exceptId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), ne(sessions.id, exceptId)));
  return row?.n ?? 0;
}
