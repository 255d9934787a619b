import { eq, sql } from "drizzle-orm";
import { sessions, users } from "../schema";
import type { Db } from "../tenant";

export function insertSession(db: Db, s: { id: string; userId: string; activeTenantId: string | null; expiresAt: Date }) {
  return db.insert(sessions).values(s);
}

export async function findSession(db: Db, id: string) {
  const [row] = await db
    .select({ session: sessions, user: { id: users.id, email: users.email, name: users.name } })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id));
  return row ?? null;
}

export const touchSession = (db: Db, id: string) =>
  db.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.id, id));

export const deleteSession = (db: Db, id: string) => db.delete(sessions).where(eq(sessions.id, id));
