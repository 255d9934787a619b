import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPiiCipher, generatePiiKey } from "../../core/crypto/pii";
import { createNodeDb } from "../../db/node-client";
import { type CallSort, listCallsPage } from "../../db/queries/calls";
import { type CampaignSort, listCampaigns } from "../../db/queries/campaigns";
import { CursorError, encodeCursor, type SortDir } from "../../db/queries/keyset";
import { type NumberSort, pageNumbers } from "../../db/queries/phone-numbers";
import { ownerQuery, seedTenant } from "../support/seed";

const ownerUrl = () => inject("ownerUrl");
const db = createNodeDb(inject("appUrl"), { max: 2 });
const pii = createPiiCipher({ keys: generatePiiKey("lists"), blindIndexKey: "lists-index" });
afterAll(() => db.$pool.end());
const sql = <T extends Record<string, unknown>>(text: string, values: unknown[] = []) =>
  ownerQuery<T>(ownerUrl(), text, values);

// Area code 947: this file's own (numbers are unique across the run's tenants).
let serial = 0;
const number = () => `+1947555${String(++serial).padStart(4, "0")}`;

/** Every page of a list, one after another, as the pager's links would read them. */
async function walk<R>(read: (cursor?: string) => Promise<{ rows: R[]; nextCursor: string | null }>) {
  const seen: R[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 500; pages++) {
    const page = await read(cursor);
    seen.push(...page.rows);
    if (!page.nextCursor) return seen;
    cursor = page.nextCursor;
  }
  throw new Error("the pages never ended");
}

/** The order Postgres gives (key, id) in `dir`, with rows without a key last descending and first ascending. */
function expectedOrder<R extends { id: string }>(rows: R[], key: (r: R) => string | number | null, dir: SortDir) {
  const cmp = (a: R, b: R) => {
    const [x, y] = [key(a), key(b)];
    if (x === null || y === null) {
      if (x !== y) return x === null ? -1 : 1;
    } else if (x !== y) return x < y ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
  const sorted = [...rows].sort(cmp);
  return (dir === "asc" ? sorted : sorted.reverse()).map((r) => r.id);
}

const dirs: SortDir[] = ["asc", "desc"];

describe("calls list paging (real Postgres, as the app role under RLS)", () => {
  let tenant: Awaited<ReturnType<typeof seedTenant>>;
  let other: Awaited<ReturnType<typeof seedTenant>>;
  beforeAll(async () => {
    tenant = await seedTenant(ownerUrl(), { number: number() });
    other = await seedTenant(ownerUrl(), { number: number() });
    // Another tenant's calls, at the same times and with the same durations: never in the list.
    await sql(
      `insert into calls (tenant_id, agent_id, direction, status, created_at, duration_seconds, cost_micros)
       select $1, $2, 'web', 'completed', '2026-01-01T00:00:00Z'::timestamptz + (g % 3) * interval '1 second', g % 4, g % 2
       from generate_series(1, 40) g`,
      [other.tenantId, other.agentId],
    );
  });

  it("walks every call exactly once, in order, in every sort and direction, with ties and calls without a value", async () => {
    const call = fc.record({
      second: fc.integer({ min: 0, max: 3 }),
      duration: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
      cost: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(call, { maxLength: 25 }), fc.integer({ min: 1, max: 8 }), async (spec, limit) => {
        await sql("delete from calls where tenant_id = $1", [tenant.tenantId]);
        const rows = await sql<{ id: string; at: string; duration: number | null; cost: string | null }>(
          `insert into calls (tenant_id, agent_id, direction, status, created_at, duration_seconds, cost_micros)
             select $1, $2, 'web', 'completed', '2026-01-01T00:00:00Z'::timestamptz + s * interval '1 second', d, c
             from unnest($3::int[], $4::int[], $5::bigint[]) as t(s, d, c)
             returning id, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as at,
                       duration_seconds as duration, cost_micros::text as cost`,
          [
            tenant.tenantId,
            tenant.agentId,
            spec.map((c) => c.second),
            spec.map((c) => c.duration),
            spec.map((c) => c.cost),
          ],
        );
        const keys: Record<CallSort, (r: (typeof rows)[number]) => string | number | null> = {
          created: (r) => r.at,
          duration: (r) => r.duration,
          cost: (r) => (r.cost === null ? null : Number(r.cost)),
        };
        for (const sort of ["created", "duration", "cost"] as const)
          for (const dir of dirs) {
            const seen = await walk(async (cursor) => {
              const p = await listCallsPage(db, pii, { tenantId: tenant.tenantId, sort, dir, cursor, limit });
              return { rows: p.calls.map((c) => c.id), nextCursor: p.nextCursor };
            });
            expect(seen, `${sort} ${dir} by ${limit}`).toEqual(expectedOrder(rows, keys[sort], dir));
          }
      }),
      { numRuns: 12 },
    );
  });

  it("refuses a tampered cursor and one from another sort order with a CursorError, never a database error", async () => {
    await sql(
      `insert into calls (tenant_id, agent_id, direction, status, duration_seconds) select $1, $2, 'web', 'completed', g from generate_series(1, 3) g`,
      [tenant.tenantId, tenant.agentId],
    );
    const first = await listCallsPage(db, pii, { tenantId: tenant.tenantId, sort: "duration", limit: 1 });
    const cursor = first.nextCursor!;
    const read = (c: string, sort: CallSort = "duration", dir: SortDir = "desc") =>
      listCallsPage(db, pii, { tenantId: tenant.tenantId, sort, dir, cursor: c, limit: 1 });
    await expect(read(cursor, "cost")).rejects.toThrow(/another sort order/);
    await expect(read(cursor, "duration", "asc")).rejects.toThrow(CursorError);
    await expect(read(`${cursor.slice(0, -3)}!!!`)).rejects.toThrow(CursorError);
    await expect(read("not-a-cursor")).rejects.toThrow(CursorError);
    const huge = encodeCursor("duration", "desc", { key: "9".repeat(25), id: crypto.randomUUID() });
    await expect(read(huge)).rejects.toThrow(CursorError);
    const wrongDay = encodeCursor("created", "desc", { key: "2026-02-30T00:00:00.000000Z", id: crypto.randomUUID() });
    await expect(read(wrongDay, "created")).rejects.toThrow(CursorError);
  });

  it("shows only the tenant's own calls, whatever the filters and the cursor", async () => {
    const mine = (await sql<{ id: string }>("select id from calls where tenant_id = $1", [tenant.tenantId])).map(
      (r) => r.id,
    );
    // A cursor naming another tenant's call only says where to start: it reads none of that tenant's rows.
    const [theirs] = await sql<{ id: string }>("select id from calls where tenant_id = $1 limit 1", [other.tenantId]);
    const cursor = encodeCursor("duration", "desc", { key: "9", id: theirs!.id });
    for (const opts of [
      {},
      { agentId: other.agentId },
      { status: "completed" as const },
      { cursor, sort: "duration" as const },
    ]) {
      const p = await listCallsPage(db, pii, { tenantId: tenant.tenantId, ...opts, limit: 100 });
      for (const c of p.calls) expect(mine).toContain(c.id);
    }
    expect((await listCallsPage(db, pii, { tenantId: tenant.tenantId, agentId: other.agentId })).calls).toEqual([]);
  });

  it("filters by agent, status and a range of days", async () => {
    await sql("delete from calls where tenant_id = $1", [tenant.tenantId]);
    await sql(
      `insert into calls (tenant_id, agent_id, direction, status, created_at) values
       ($1, $2, 'web', 'completed', '2026-03-01T12:00:00Z'), ($1, $2, 'web', 'failed', '2026-03-02T23:59:59Z'),
       ($1, null, 'web', 'completed', '2026-03-03T00:00:00Z')`,
      [tenant.tenantId, tenant.agentId],
    );
    const count = async (f: Parameters<typeof listCallsPage>[2]) => (await listCallsPage(db, pii, f)).calls.length;
    const t = tenant.tenantId;
    expect(await count({ tenantId: t, agentId: tenant.agentId })).toBe(2);
    expect(await count({ tenantId: t, status: "failed" })).toBe(1);
    const march2 = { since: new Date("2026-03-02T00:00:00Z"), until: new Date("2026-03-03T00:00:00Z") };
    expect(await count({ tenantId: t, ...march2 })).toBe(1);
  });
});

describe("numbers and campaigns paging", () => {
  it("walks every number and campaign exactly once, in order, in every sort, with ties", async () => {
    const t = await seedTenant(ownerUrl(), { number: number() });
    await sql("update phone_numbers set created_at = '2026-01-01T00:00:00Z' where tenant_id = $1", [t.tenantId]);
    for (let i = 0; i < 6; i++)
      await sql("insert into phone_numbers (tenant_id, e164, friendly_name, created_at) values ($1, $2, $3, $4)", [
        t.tenantId,
        number(),
        i % 2 ? "Front desk" : "Sales",
        `2026-01-0${1 + (i % 2)}T00:00:00Z`,
      ]);
    const numbers = await sql<{ id: string; e164: string; at: string }>(
      `select id, e164, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as at from phone_numbers where tenant_id = $1`,
      [t.tenantId],
    );
    const numberKeys: Record<NumberSort, (r: (typeof numbers)[number]) => string> = {
      created: (r) => r.at,
      number: (r) => r.e164,
    };
    for (const sort of ["created", "number"] as const)
      for (const dir of dirs) {
        const seen = await walk(async (cursor) => {
          const p = await pageNumbers(db, { tenantId: t.tenantId, sort, dir, cursor, limit: 2 });
          return { rows: p.numbers.map((n) => n.number.id), nextCursor: p.nextCursor };
        });
        expect(seen, `numbers ${sort} ${dir}`).toEqual(expectedOrder(numbers, numberKeys[sort], dir));
      }
    const found = await pageNumbers(db, { tenantId: t.tenantId, search: "front" });
    expect(found.numbers).toHaveLength(3);
    expect((await pageNumbers(db, { tenantId: t.tenantId, search: "%" })).numbers).toHaveLength(0);

    const names = ["Flu", "Flu", "Alpha", "zeta", "Flu"];
    const statuses = ["running", "paused", "running", "completed", "running"];
    for (const [i, name] of names.entries())
      await sql(
        `insert into campaigns (tenant_id, name, agent_id, from_number_ids, status, created_at)
         values ($1, $2, $3, array[]::uuid[], $4, $5)`,
        [t.tenantId, name, t.agentId, statuses[i], `2026-02-0${1 + (i % 2)}T00:00:00Z`],
      );
    const campaigns = await sql<{ id: string; name: string; status: string; at: string }>(
      `select id, name, status, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as at from campaigns where tenant_id = $1`,
      [t.tenantId],
    );
    // Names compare as Postgres's collation does: ask it rather than guess.
    const rank = new Map(
      (
        await sql<{ name: string; r: number }>(
          "select name, (dense_rank() over (order by name))::int as r from unnest($1::text[]) name",
          [names],
        )
      ).map((r) => [r.name, r.r]),
    );
    const campaignKeys: Record<CampaignSort, (r: (typeof campaigns)[number]) => string | number> = {
      created: (r) => r.at,
      name: (r) => rank.get(r.name)!,
      status: (r) => r.status,
    };
    for (const sort of ["created", "name", "status"] as const)
      for (const dir of dirs) {
        const seen = await walk(async (cursor) => {
          const p = await listCampaigns(db, { tenantId: t.tenantId, sort, dir, cursor, limit: 2 });
          return { rows: p.campaigns.map((c) => c.id), nextCursor: p.nextCursor };
        });
        expect(seen, `campaigns ${sort} ${dir}`).toEqual(expectedOrder(campaigns, campaignKeys[sort], dir));
      }
    expect((await listCampaigns(db, { tenantId: t.tenantId, status: "running" })).campaigns).toHaveLength(3);
    const other = await seedTenant(ownerUrl(), { number: number() });
    expect((await listCampaigns(db, { tenantId: other.tenantId })).campaigns).toEqual([]);
    expect((await pageNumbers(db, { tenantId: other.tenantId })).numbers).toHaveLength(1);
  });
});
