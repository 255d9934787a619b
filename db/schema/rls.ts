import { sql } from "drizzle-orm";
import { pgPolicy } from "drizzle-orm/pg-core";

/** The tenant bound by `withTenant` for the current transaction, or NULL (then no row matches). */
export const currentTenant = sql`nullif(current_setting('app.tenant_id', true), '')::uuid`;
export const currentUser = sql`nullif(current_setting('app.user_id', true), '')::uuid`;

/** The one policy every tenant-owned table carries: read and write only the bound tenant's rows. */
export const tenantPolicy = (column: { name: string }) =>
  pgPolicy("tenant_isolation", {
    as: "permissive",
    for: "all",
    using: sql`${sql.identifier(column.name)} = ${currentTenant}`,
    withCheck: sql`${sql.identifier(column.name)} = ${currentTenant}`,
  });
