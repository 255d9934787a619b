import { and, asc, eq, gt, isNotNull, not, or, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { isCiphertext, normalizePhone, type PiiCipher, type PiiField } from "../core/crypto/pii";
import { type tenantPiiColumns, totpKeyField } from "./pii-columns";
import { rotateToolHeaders } from "./pii-rotation-tools";
import { listTenantIds } from "./queries/tenants";
import {
  callAnalyses,
  calls,
  campaignRows,
  doNotCall,
  idempotencyKeys,
  providerCredentials,
  twilioAccounts,
  users,
  webhookDeliveries,
  webhookEndpoints,
} from "./schema";
import { type Db, withTenant } from "./tenant";

type Target = { table: PgTable; id: PgColumn; tenantId: PgColumn; columns: Record<string, PgColumn> };
const targets: Record<keyof typeof tenantPiiColumns, Target> = {
  calls: {
    table: calls,
    id: calls.id,
    tenantId: calls.tenantId,
    columns: { from_number: calls.fromNumber, to_number: calls.toNumber },
  },
  webhook_endpoints: {
    table: webhookEndpoints,
    id: webhookEndpoints.id,
    tenantId: webhookEndpoints.tenantId,
    columns: {
      url: webhookEndpoints.url,
      secret: webhookEndpoints.secret,
      previous_secret: webhookEndpoints.previousSecret,
    },
  },
  webhook_deliveries: {
    table: webhookDeliveries,
    id: webhookDeliveries.id,
    tenantId: webhookDeliveries.tenantId,
    columns: { body: webhookDeliveries.body, last_response: webhookDeliveries.lastResponse },
  },
  provider_credentials: {
    table: providerCredentials,
    id: providerCredentials.id,
    tenantId: providerCredentials.tenantId,
    columns: { api_key: providerCredentials.apiKey },
  },
  campaign_rows: {
    table: campaignRows,
    id: campaignRows.id,
    tenantId: campaignRows.tenantId,
    columns: { phone: campaignRows.phone, variables: campaignRows.variables },
  },
  do_not_call: {
    table: doNotCall,
    id: doNotCall.id,
    tenantId: doNotCall.tenantId,
    columns: { number: doNotCall.number },
  },
  call_analyses: {
    table: callAnalyses,
    id: callAnalyses.id,
    tenantId: callAnalyses.tenantId,
    columns: { summary: callAnalyses.summary, data: callAnalyses.data, success_reason: callAnalyses.successReason },
  },
  twilio_accounts: {
    table: twilioAccounts,
    id: twilioAccounts.id,
    tenantId: twilioAccounts.tenantId,
    columns: { auth_token: twilioAccounts.authToken },
  },
  idempotency_keys: {
    table: idempotencyKeys,
    id: idempotencyKeys.id,
    tenantId: idempotencyKeys.tenantId,
    columns: { body: idempotencyKeys.body },
  },
};

/** `unreadable`: values that no configured key opens for their row (copied or corrupted); left as they are. */
export type RotationReport = { rewritten: number; tenants: number; unreadable: number };

/** A value needs rewriting if it is under an old key, or plaintext from before encryption. */
const stale = (pii: PiiCipher, column: PgColumn) =>
  and(isNotNull(column), not(sql`${column} like ${`pii1.${pii.activeKeyId}.%`}`));

async function reseal(pii: PiiCipher, value: string, field: PiiField) {
  const plain = isCiphertext(value) ? await pii.decrypt(value, field) : value;
  return { plain, sealed: await pii.encrypt(plain, field) };
}

/**
 * Re-encrypts every personal-data value not under the newest key (HTTP tools' header values too,
 * which also encrypts those saved before encryption existed), in small batches of short
 * transactions, so the application keeps serving throughout. Each row is updated only if it still
 * holds the value read (a concurrent write wins). Safe to stop and run again.
 */
export async function rotatePii(
  db: Db,
  pii: PiiCipher,
  {
    batchSize = 200,
    log = (_: string) => {},
    afterBatch = async () => {},
  }: { batchSize?: number; log?: (msg: string) => void; afterBatch?: () => Promise<void> } = {},
): Promise<RotationReport> {
  const report = { rewritten: 0, tenants: 0, unreadable: 0 };
  for (const tenantId of await listTenantIds(db)) {
    report.tenants++;
    for (const [name, t] of Object.entries(targets)) {
      const cols = Object.entries(t.columns);
      let cursor = "00000000-0000-0000-0000-000000000000";
      for (;;) {
        const done = await withTenant(db, tenantId, async (tx) => {
          const pick: Record<string, PgColumn> = { id: t.id, ...t.columns };
          const rows = (await tx
            .select(pick)
            .from(t.table)
            .where(and(eq(t.tenantId, tenantId), gt(t.id, cursor), or(...cols.map(([, c]) => stale(pii, c)))))
            .orderBy(asc(t.id))
            .limit(batchSize)) as Record<string, string | null>[];
          for (const row of rows) {
            cursor = row.id!;
            const set: Record<string, string> = {};
            const unchanged: SQL[] = [];
            for (const [column, c] of cols) {
              const value = row[column];
              if (!value || !pii.needsRotation(value)) continue;
              const resealed = await reseal(pii, value, { tenantId, table: name, column }).catch(() => null);
              if (!resealed) {
                report.unreadable++;
                log(`${name}.${column} of row ${row.id} does not decrypt for its tenant; left unchanged`);
                continue;
              }
              const { plain, sealed } = resealed;
              set[c.name] = sealed;
              unchanged.push(eq(c, value));
              if (name === "calls" && column === "from_number") {
                set.from_number_index = await pii.blindIndex(normalizePhone(plain), { tenantId, table: name, column });
              }
            }
            if (!unchanged.length) continue;
            const assignments = sql.join(
              Object.entries(set).map(([k, v]) => sql`${sql.identifier(k)} = ${v}`),
              sql`, `,
            );
            await tx.execute(sql`update ${t.table} set ${assignments} where ${and(eq(t.id, row.id!), ...unchanged)}`);
            report.rewritten++;
          }
          return rows.length < batchSize;
        });
        await afterBatch();
        if (done) break;
      }
    }
    const tools = await rotateToolHeaders(db, pii, tenantId, { batchSize, afterBatch, log });
    report.rewritten += tools.rewritten;
    report.unreadable += tools.unreadable;
    log(`tenant ${tenantId}: done`);
  }
  // TOTP keys belong to users, not tenants (no RLS on users): bound to the user id instead.
  let cursor = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const rows = await db
      .select({ id: users.id, totpKey: users.totpKey })
      .from(users)
      .where(and(gt(users.id, cursor), stale(pii, users.totpKey)))
      .orderBy(asc(users.id))
      .limit(batchSize);
    for (const row of rows) {
      cursor = row.id;
      const resealed = await reseal(pii, row.totpKey!, totpKeyField(row.id)).catch(() => null);
      if (!resealed) {
        report.unreadable++;
        continue;
      }
      const { sealed } = resealed;
      await db
        .update(users)
        .set({ totpKey: sealed })
        .where(and(eq(users.id, row.id), eq(users.totpKey, row.totpKey!)));
      report.rewritten++;
    }
    if (rows.length < batchSize) break;
  }
  return report;
}
