import { describe, expect, it } from "vitest";
import { migrateDown, migrateUp } from "../../db/scripts/migrate";
import { freshDatabase } from "../support/databases";
import { ownerQuery } from "../support/seed";

const tables = (url: string) =>
  ownerQuery<{ n: number }>(url, "select count(*)::int as n from pg_tables where schemaname in ('public', 'pgboss')");

describe("migrations", () => {
  it("apply to an empty database, roll back completely, and apply again", async () => {
    const { ownerUrl } = await freshDatabase("bvrai_it_migrations", { migrate: false });
    await migrateUp(ownerUrl);
    const up = (await tables(ownerUrl))[0]!.n;
    expect(up).toBeGreaterThanOrEqual(15);

    await migrateDown(ownerUrl, 1e6);
    expect((await tables(ownerUrl))[0]!.n).toBe(0);
    expect(await ownerQuery(ownerUrl, "select * from drizzle.__drizzle_migrations")).toEqual([]);

    await migrateUp(ownerUrl);
    expect((await tables(ownerUrl))[0]!.n).toBe(up);
    await migrateUp(ownerUrl); // idempotent
    expect((await tables(ownerUrl))[0]!.n).toBe(up);
  });

  it("use exact types for money and jsonb for JSON", async () => {
    const { ownerUrl } = await freshDatabase("bvrai_it_types");
    const floats = await ownerQuery(
      ownerUrl,
      `select table_name, column_name from information_schema.columns
       where table_schema = 'public' and data_type in ('real', 'double precision', 'json')`,
    );
    expect(floats).toEqual([]);
    const money = await ownerQuery<{ data_type: string }>(
      ownerUrl,
      `select data_type from information_schema.columns where table_schema = 'public' and column_name like '%micros'`,
    );
    expect(money.length).toBeGreaterThanOrEqual(3);
    for (const m of money) expect(m.data_type).toBe("bigint");
  });

  it("never cascade-deletes a call, usage record or audit row, and keeps calls when their agent goes", async () => {
    const { ownerUrl } = await freshDatabase("bvrai_it_fks");
    const rules = await ownerQuery<{ table_name: string; column_name: string; delete_rule: string }>(
      ownerUrl,
      `select kcu.table_name, kcu.column_name, rc.delete_rule from information_schema.referential_constraints rc
       join information_schema.key_column_usage kcu on kcu.constraint_name = rc.constraint_name
       where kcu.table_schema = 'public'`,
    );
    for (const r of rules.filter((r) => ["calls", "usage_records", "audit_log"].includes(r.table_name))) {
      expect(r.delete_rule, `${r.table_name}.${r.column_name}`).not.toBe("CASCADE");
    }
    expect(rules.find((r) => r.table_name === "calls" && r.column_name === "agent_id")?.delete_rule).toBe("SET NULL");
  });
});
