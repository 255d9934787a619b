import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgPolicy,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { currentUser, tenantPolicy } from "./rls";

export const tenants = pgTable(
  "tenants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    /** The plan (core/billing/plans) and the Stripe subscription behind it; set from Stripe's webhooks. */
    plan: text("plan", { enum: ["trial", "payg", "pro"] })
      .notNull()
      .default("trial"),
    stripeCustomerId: text("stripe_customer_id"),
    stripeSubscriptionId: text("stripe_subscription_id"),
    subscriptionStatus: text("subscription_status"),
    periodStart: timestamp("period_start", { withTimezone: true }),
    periodEnd: timestamp("period_end", { withTimezone: true }),
    /** When payment started failing; after the grace period new calls are refused until it is paid. */
    pastDueSince: timestamp("past_due_since", { withTimezone: true }),
    /** Days a call recording is kept before the retention sweep deletes it. */
    recordingRetentionDays: integer("recording_retention_days").notNull().default(30),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("tenants_stripe_customer_id_key").on(t.stripeCustomerId),
    tenantPolicy(t.id),
    // A user may read the tenants they belong to (the tenant switcher, the login redirect).
    pgPolicy("member_read", {
      for: "select",
      using: sql`exists (select 1 from memberships m where m.tenant_id = ${t.id} and m.user_id = ${currentUser})`,
    }),
    // Maintenance jobs (PII key rotation) list tenant ids, then work tenant by tenant.
    pgPolicy("maintenance_list", { for: "select", using: sql`current_setting('app.maintenance', true) = 'on'` }),
  ],
);

/** Identity is global: one person, many tenants. No tenant_id, so no RLS; never exposed by tenant. */
export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }),
    /** The TOTP key, encrypted like personal data (table users, column totp_key, tenant = user id). */
    totpKey: text("totp_key"),
    totpEnabledAt: timestamp("totp_enabled_at", { withTimezone: true }),
    /** The newest 30-second step a TOTP code was accepted for: a code for it or an earlier one is spent. */
    totpLastStep: bigint("totp_last_step", { mode: "number" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_key").on(sql`lower(${t.email})`)],
);

export const roles = ["owner", "admin", "member", "viewer"] as const;
export type Role = (typeof roles)[number];
/**
 * The roles that may create API keys. A key lives only while its creator holds one of them in its
 * team: removed, or lowered below, and the keys they made are revoked (docs/decisions/0024).
 */
export const apiKeyRoles = ["owner", "admin"] as const satisfies readonly Role[];

export const memberships = pgTable(
  "memberships",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: roles }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("memberships_tenant_user_key").on(t.tenantId, t.userId),
    index("memberships_user_idx").on(t.userId),
    tenantPolicy(t.tenantId),
    pgPolicy("own_memberships_read", { for: "select", using: sql`${t.userId} = ${currentUser}` }),
  ],
);

/** Lucia-guide sessions: `id` is the SHA-256 of the cookie token, never the token itself. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    activeTenantId: uuid("active_tenant_id").references(() => tenants.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    /** Password accepted, second factor not yet: such a session opens nothing but the code page. */
    twoFactorPending: boolean("two_factor_pending").notNull().default(false),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** Single-use recovery codes for a user who lost their authenticator; stored hashed. */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("recovery_codes_user_idx").on(t.userId)],
);

export const oneTimeCodePurposes = ["verify_email", "change_email", "reset_password", "sign_in"] as const;
export type OneTimeCodePurpose = (typeof oneTimeCodePurposes)[number];

/** Emailed codes and links: hashed, single use, short-lived, a few attempts each. */
export const oneTimeCodes = pgTable(
  "one_time_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: oneTimeCodePurposes }).notNull(),
    codeHash: text("code_hash").notNull(),
    /** The address the code was sent to (the new one, for an email change). */
    email: text("email").notNull(),
    attempts: integer("attempts").notNull().default(0),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("one_time_codes_user_purpose_idx").on(t.userId, t.purpose),
    uniqueIndex("one_time_codes_hash_key").on(t.codeHash),
  ],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    scopes: text("scopes").array().notNull().default(sql`'{}'::text[]`),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("api_keys_hash_key").on(t.keyHash),
    index("api_keys_tenant_created_idx").on(t.tenantId, t.createdAt.desc().nullsFirst()),
    tenantPolicy(t.tenantId),
    // An API request knows its key, not its tenant: it may read exactly the row with that hash.
    pgPolicy("api_key_by_hash", {
      for: "select",
      using: sql`${t.keyHash} = current_setting('app.api_key_hash', true)`,
    }),
  ],
);

export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: text("role", { enum: roles }).notNull(),
    tokenHash: text("token_hash").notNull(),
    invitedByUserId: uuid("invited_by_user_id").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("invitations_token_key").on(t.tokenHash),
    index("invitations_tenant_created_idx").on(t.tenantId, t.createdAt.desc().nullsFirst()),
    tenantPolicy(t.tenantId),
    // The invitee is not a member yet: the link's token opens exactly its own invitation.
    pgPolicy("invitation_by_token", {
      for: "select",
      using: sql`${t.tokenHash} = current_setting('app.invite_token_hash', true)`,
    }),
  ],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "restrict" }),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    ip: text("ip"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_log_tenant_created_idx").on(t.tenantId, t.createdAt.desc().nullsFirst()),
    tenantPolicy(t.tenantId),
  ],
);
