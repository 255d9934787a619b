import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema";

/**
 * Any of our Drizzle databases (node-postgres, Neon, PGlite). `$localRole` is set only for the
 * embedded PGlite, whose single user is a superuser: each scoped transaction then drops to the
 * application role so RLS applies there too (see docs/decisions/0002).
 */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema> & { $localRole?: string };
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function scoped<T>(db: Db, settings: Record<string, string>, fn: (tx: Tx) => Promise<T>) {
  return db.transaction(async (tx) => {
    if (db.$localRole) await tx.execute(sql`select set_config('role', ${db.$localRole}, true)`);
    for (const [name, value] of Object.entries(settings)) {
      await tx.execute(sql`select set_config(${name}, ${value}, true)`);
    }
    return fn(tx);
  });
}

function assertUuid(kind: string, id: string) {
  if (!uuidPattern.test(id)) throw new TypeError(`${kind} must be a uuid`);
}

/** Runs `fn` in a transaction that can see and write only `tenantId`'s rows. */
export async function withTenant<T>(db: Db, tenantId: string, fn: (tx: Tx) => Promise<T>) {
  assertUuid("tenantId", tenantId);
  return scoped(db, { "app.tenant_id": tenantId }, fn);
}

/** Runs `fn` for a Stripe event, whose tenant is known only once Stripe is asked: `bindTenant` then scopes it. */
export const stripeEventScope = <T>(db: Db, fn: (tx: Tx) => Promise<T>) => scoped(db, {}, fn);

/** Runs `fn` where the user's own memberships (and their tenants) are readable, for login. */
export async function withUser<T>(db: Db, userId: string, fn: (tx: Tx) => Promise<T>) {
  assertUuid("userId", userId);
  return scoped(db, { "app.user_id": userId }, fn);
}

/**
 * `withTenant` in a maintenance transaction (key rotation): what only maintenance may change, the
 * sealed values inside agent versions, is writable too. Never for a request.
 */
export async function withTenantMaintenance<T>(db: Db, tenantId: string, fn: (tx: Tx) => Promise<T>) {
  assertUuid("tenantId", tenantId);
  return scoped(db, { "app.tenant_id": tenantId, "app.maintenance": "on" }, fn);
}

/** Runs `fn` where only the phone_numbers row of the called number is readable (inbound routing). */
export function withRoutingNumber<T>(db: Db, e164: string, fn: (tx: Tx) => Promise<T>) {
  return scoped(db, { "app.route_number": e164 }, fn);
}

/** Binds the tenant inside a transaction already opened by `withRoutingNumber`. */
export async function bindTenant(tx: Tx, tenantId: string) {
  assertUuid("tenantId", tenantId);
  await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`);
}

/** Runs `fn` where only the invitation with this token hash is readable (accepting an invite). */
export const withInvitationToken = <T>(db: Db, tokenHash: string, fn: (tx: Tx) => Promise<T>) =>
  scoped(db, { "app.invite_token_hash": tokenHash }, fn);

/** Runs `fn` where only the API key with this hash is readable (authenticating an API request). */
export const withApiKeyHash = <T>(db: Db, keyHash: string, fn: (tx: Tx) => Promise<T>) =>
  scoped(db, { "app.api_key_hash": keyHash }, fn);

/** Runs `fn` where tenant ids can be listed, for maintenance that then works tenant by tenant. */
export const withMaintenance = <T>(db: Db, fn: (tx: Tx) => Promise<T>) => scoped(db, { "app.maintenance": "on" }, fn);

/**
 * The lost-call sweep: any tenant's open calls, read as `bvrai_call_sweep`, the only role their
 * policies are given to, so they are never OR'ed into a tenant's queries (docs/decisions/0039).
 */
export const withCallSweep = <T>(db: Db, fn: (tx: Tx) => Promise<T>) =>
  scoped(db, { "app.maintenance": "on", role: "bvrai_call_sweep" }, fn);

/** Runs `fn` where only the widget with this publishable key is readable (a visitor's page asking to talk). */
export const withPublishableKey = <T>(db: Db, publishableKey: string, fn: (tx: Tx) => Promise<T>) =>
  scoped(db, { "app.publishable_key": publishableKey }, fn);

/** Runs `fn` where only the Twilio account with this SID is readable (checking a Twilio webhook's signature). */
export const withTwilioAccountSid = <T>(db: Db, accountSid: string, fn: (tx: Tx) => Promise<T>) =>
  scoped(db, { "app.twilio_account_sid": accountSid }, fn);
