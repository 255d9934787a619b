import { eq, sql } from "drizzle-orm";
import { memberships, tenants, users } from "../schema";
import { type Db, withTenant, withUser } from "../tenant";

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export function findUserByEmail(db: Db, email: string) {
  return db.query.users.findFirst({ where: sql`lower(${users.email}) = ${normalizeEmail(email)}` });
}

export const getUserById = (db: Db, id: string) => db.query.users.findFirst({ where: eq(users.id, id) });

export class EmailTakenError extends Error {
  constructor() {
    super("An account with this email already exists.");
  }
}

export const isUniqueViolation = (err: unknown) => {
  const e = err as { code?: string; cause?: { code?: string } };
  return e.code === "23505" || e.cause?.code === "23505";
};

/** Sign-up: the user, their tenant and the owner membership, all or nothing. */
export async function createAccount(
  db: Db,
  input: { email: string; name: string; passwordHash: string; tenantName: string; emailVerified?: boolean },
) {
  const tenantId = crypto.randomUUID();
  try {
    return await withTenant(db, tenantId, async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({
          email: normalizeEmail(input.email),
          name: input.name,
          passwordHash: input.passwordHash,
          emailVerifiedAt: input.emailVerified ? new Date() : null,
        })
        .returning();
      await tx.insert(tenants).values({ id: tenantId, name: input.tenantName });
      await tx.insert(memberships).values({ tenantId, userId: user!.id, role: "owner" });
      return { user: user!, tenantId };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new EmailTakenError();
    throw err;
  }
}

/** A user with no team yet (joining through an invitation); the link proved the address. */
export async function createUser(db: Db, input: { email: string; name: string; passwordHash: string }) {
  try {
    const [user] = await db
      .insert(users)
      .values({
        email: normalizeEmail(input.email),
        name: input.name,
        passwordHash: input.passwordHash,
        emailVerifiedAt: new Date(),
      })
      .returning();
    return user!;
  } catch (err) {
    if (isUniqueViolation(err)) throw new EmailTakenError();
    throw err;
  }
}

/** Another tenant for an existing user, who becomes its owner. */
export function createTenantFor(db: Db, { userId, name }: { userId: string; name: string }) {
  const tenantId = crypto.randomUUID();
  return withTenant(db, tenantId, async (tx) => {
    await tx.insert(tenants).values({ id: tenantId, name });
    await tx.insert(memberships).values({ tenantId, userId, role: "owner" });
    return tenantId;
  });
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

export const markEmailVerified = (db: Db, userId: string) =>
  db
    .update(users)
    .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
    .where(eq(users.id, userId));

export const setPasswordHash = (db: Db, userId: string, passwordHash: string) =>
  db.update(users).set({ passwordHash }).where(eq(users.id, userId));

export async function setEmail(db: Db, userId: string, email: string) {
  try {
    await db
      .update(users)
      .set({ email: normalizeEmail(email), emailVerifiedAt: sql`now()` })
      .where(eq(users.id, userId));
  } catch (err) {
    if (isUniqueViolation(err)) throw new EmailTakenError();
    throw err;
  }
}
