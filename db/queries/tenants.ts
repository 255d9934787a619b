import { tenants } from "../schema";
import { type Db, withMaintenance } from "../tenant";

/** Every tenant id, for maintenance that then works tenant by tenant (PII rotation, number checks). */
export async function listTenantIds(db: Db) {
  const rows = await withMaintenance(db, (tx) => tx.select({ id: tenants.id }).from(tenants));
  return rows.map((r) => r.id);
}
