import { sql } from "drizzle-orm";
import { pgPolicy, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, ownerTenantId as tenantId } from "./columns";
import { tenantPolicy } from "./rls";

/**
 * The Twilio account a tenant's numbers live in: a subaccount we create for it on first need, or
 * one it brings (import). Twilio signs each webhook with the owning account's auth token, so the
 * edge finds this row by the request's AccountSid before any tenant is known (docs/decisions/0011).
 */
export const twilioAccounts = pgTable(
  "twilio_accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    kind: text("kind", { enum: ["subaccount", "imported"] }).notNull(),
    accountSid: text("account_sid").notNull(),
    /** Encrypted (core/crypto/pii, table twilio_accounts, column auth_token). */
    authToken: text("auth_token").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("twilio_accounts_account_sid_key").on(t.accountSid),
    uniqueIndex("twilio_accounts_one_subaccount_key").on(t.tenantId).where(sql`kind = 'subaccount'`),
    tenantPolicy(t.tenantId),
    pgPolicy("twilio_account_by_sid", {
      for: "select",
      using: sql`${t.accountSid} = nullif(current_setting('app.twilio_account_sid', true), '')`,
    }),
  ],
);

/** Numbers a tenant must never call. Encrypted; looked up by blind index, like callers' numbers. */
export const doNotCall = pgTable(
  "do_not_call",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: tenantId(),
    /** Encrypted (core/crypto/pii, table do_not_call, column number). */
    number: text("number").notNull(),
    numberIndex: text("number_index").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("do_not_call_tenant_number_key").on(t.tenantId, t.numberIndex), tenantPolicy(t.tenantId)],
);
