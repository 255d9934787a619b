import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { agents, calls, phoneNumbers, tenants } from "../../db/schema";
import { withCallSweep, withMaintenance, withTenant } from "../../db/tenant";
import { seedTenant } from "../support/seed";

let db: NodeDb;
let a: Awaited<ReturnType<typeof seedTenant>>;
let b: Awaited<ReturnType<typeof seedTenant>>;

beforeAll(async () => {
  db = createNodeDb(inject("appUrl"), { max: 5 });
  a = await seedTenant(inject("ownerUrl"), { name: "Tenant A" });
  b = await seedTenant(inject("ownerUrl"), { name: "Tenant B" });
});
afterAll(() => db.$pool.end());

describe("the application role", () => {
  it("is neither superuser, owner nor BYPASSRLS", async () => {
    const { rows } = await db.$pool.query(
      `select r.rolsuper, r.rolbypassrls, (select count(*) from pg_tables where tableowner = current_user)::int as owned
       from pg_roles r where r.rolname = current_user`,
    );
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, owned: 0 });
  });

  it("finds RLS enabled and forced on every tenant-owned table", async () => {
    const { rows } = await db.$pool.query(
      `select c.relname, c.relrowsecurity, c.relforcerowsecurity from pg_class c
       join information_schema.columns col on col.table_name = c.relname and col.column_name = 'tenant_id'
       where c.relkind = 'r' and col.table_schema = 'public'`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(11);
    for (const r of rows) expect(r, r.relname).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
  });
});

describe("the lost-call sweep's view of calls", () => {
  it("is its role's alone: maintenance as the app role sees no call, the sweep sees open ones of every tenant and no ended one", async () => {
    const open = await Promise.all(
      [a, b].map(async (t) => {
        const [row] = await withTenant(db, t.tenantId, (tx) =>
          tx
            .insert(calls)
            .values({ tenantId: t.tenantId, direction: "inbound", status: "in_progress", startedAt: new Date() })
            .returning({ id: calls.id }),
        );
        return row!.id;
      }),
    );
    const [ended] = await withTenant(db, a.tenantId, (tx) =>
      tx
        .insert(calls)
        .values({
          tenantId: a.tenantId,
          direction: "inbound",
          status: "completed",
          startedAt: new Date(),
          endedAt: new Date(),
        })
        .returning({ id: calls.id }),
    );
    const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
    // Policies given to the sweep's role are not OR'ed into the app role's queries (docs/decisions/0039).
    expect(await withMaintenance(db, (tx) => tx.select({ id: calls.id }).from(calls))).toEqual([]);
    const swept = ids(await withCallSweep(db, (tx) => tx.select({ id: calls.id }).from(calls)));
    expect(swept).toEqual(expect.arrayContaining(open));
    expect(swept).not.toContain(ended!.id);
    // The role only reads: it cannot change a call.
    await expect(
      withCallSweep(db, (tx) => tx.update(calls).set({ endReason: "x" }).where(eq(calls.id, open[0]!))),
    ).rejects.toMatchObject({ cause: { code: "42501" } }); // insufficient privilege
  });
});

describe("tenant isolation under RLS", () => {
  it("shows no rows when no tenant is bound", async () => {
    for (const table of ["tenants", "agents", "phone_numbers", "calls", "memberships", "usage_records"]) {
      const { rows } = await db.$pool.query(`select count(*)::int as n from ${table}`);
      expect(rows[0].n, table).toBe(0);
    }
  });

  it("lets tenant A read only its own rows", async () => {
    const seen = await withTenant(db, a.tenantId, (tx) => tx.select().from(agents));
    expect(seen.map((r) => r.tenantId)).toEqual([a.tenantId]);
    const all = await withTenant(db, a.tenantId, (tx) => tx.select().from(tenants));
    expect(all.map((t) => t.id)).toEqual([a.tenantId]);
  });

  it("stops tenant A from reading, updating or deleting tenant B's rows by id", async () => {
    await withTenant(db, a.tenantId, async (tx) => {
      expect(await tx.select().from(agents).where(eq(agents.id, b.agentId))).toEqual([]);
      const updated = await tx.update(agents).set({ name: "pwned" }).where(eq(agents.id, b.agentId)).returning();
      expect(updated).toEqual([]);
      const deleted = await tx.delete(phoneNumbers).where(eq(phoneNumbers.tenantId, b.tenantId)).returning();
      expect(deleted).toEqual([]);
    });
    const still = await withTenant(db, b.tenantId, (tx) => tx.select().from(agents).where(eq(agents.id, b.agentId)));
    expect(still[0]?.name).toBe("Receptionist");
  });

  it("stops tenant A from inserting rows for tenant B", async () => {
    await expect(
      withTenant(db, a.tenantId, (tx) =>
        tx
          .insert(agents)
          .values({ tenantId: b.tenantId, name: "x", systemPrompt: "x", firstMessage: "x", voice: "v", model: "m" }),
      ),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/row-level security/) } });
  });

  it("stops the application from deleting any call", async () => {
    await expect(withTenant(db, a.tenantId, (tx) => tx.delete(calls))).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/permission denied/) },
    });
  });

  it("keeps two tenants apart when their transactions interleave over one pool", async () => {
    const rounds = Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b));
    const results = await Promise.all(
      rounds.map((t) =>
        withTenant(db, t.tenantId, async (tx) => {
          await tx.execute(sql`select pg_sleep(0.005)`);
          const rows = await tx.select({ tenantId: agents.tenantId }).from(agents);
          return { expected: t.tenantId, seen: rows.map((r) => r.tenantId) };
        }),
      ),
    );
    for (const r of results) expect(r.seen).toEqual([r.expected]);
    const { rows } = await db.$pool.query("select current_setting('app.tenant_id', true) as t");
    expect(rows[0].t || null).toBeNull();
  });

  it("rejects a tenant id that is not a uuid before it reaches SQL", async () => {
    await expect(withTenant(db, "' or 1=1 --", async () => 1)).rejects.toThrow(/uuid/);
  });
});
