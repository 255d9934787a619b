import { eq, sql } from "drizzle-orm";
import { memberships, tenants, users } from "../schema";
import { type Db, withTenant, withUser } from "../tenant";

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export function findUserByEmail(db: Db, email: string) {
  return db.query.users.findFirst({ where: sql`lower(${users.email}) = ${normalizeEmail(email)}` });
}

export class EmailTakenError extends Error {}

/** Sign-up: the user, their tenant and the owner membership, all or nothing. */
export async function createAccount(db: Db, input: { email: string; name: string; passwordHash: string; tenantName: string }) {
  const tenantId = crypto.randomUUID();
  try {
    return await withTenant(db, tenantId, async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ email: normalizeEmail(input.email), name: input.name, passwordHash: input.passwordHash })
        .returning();
      await tx.insert(tenants).values({ id: tenantId, name: input.tenantName });
      await tx.insert(memberships).values({ tenantId, userId: user!.id, role: "owner" });
      return { user: user!, tenantId };
    });
  } catch (err) {
    if ((err as { code?: string; cause?: { code?: string } }).code === "23505" || (err as { cause?: { code?: string } }).cause?.code === "23505") {
      throw new EmailTakenError("An account with this email already exists.");
    }
    throw err;
  }
}

/** The tenants a user belongs to, oldest membership first (the default on login). */
export function listMemberships(db: Db, userId: string) {
  return withUser(db, userId, (tx) =>
    tx
      .select({ tenantId: memberships.tenantId, role: memberships.role, tenantName: tenants.name })
      .from(memberships)
      .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
      .where(eq(memberships.userId, userId))
      .orderBy(memberships.createdAt),
  );
}
