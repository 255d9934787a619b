import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApi } from "../../app/api/app";
import { telephonyFrom } from "../../app/telephony/numbers.server";
import { createPiiCipher, generatePiiKey } from "../../core/crypto/pii";
import { parseCsv } from "../../core/csv";
import { createNodeDb, type NodeDb } from "../../db/node-client";
import { createApiKey } from "../../db/queries/api-keys";
import { EXPORT_BATCH_ROWS } from "../../db/queries/export-position";
import { testApiServices } from "../support/api";
import { ownerQuery, seedTenant } from "../support/seed";
import { eventually } from "../support/wait";

/** More rows than the old calls cap (10,000) and than any batch, in one tenant. */
const N = 12_000;
const range = "from=2025-01-01&to=2025-01-02"; // [2025-01-01T00:00Z, 2025-01-03T00:00Z)
let db: NodeDb;
let server: Server;
let url = "";
let acquired = 0;
const pii = createPiiCipher({ keys: generatePiiKey("exports"), blindIndexKey: "exports-index" });
const owner = (text: string, values: unknown[] = []) => ownerQuery<{ id: string }>(inject("ownerUrl"), text, values);

/** A tenant's calls (three to a microsecond-exact instant, so batches end inside ties) and a usage line for each. */
async function tenantWith(calls: number) {
  const t = await seedTenant(inject("ownerUrl"));
  await owner(
    `insert into calls (tenant_id, agent_id, direction, status, duration_seconds, created_at)
     select $1, $2, 'inbound', 'completed', 60, timestamptz '2025-01-01T00:00:00Z' + (g / 3) * interval '1.234567 s'
     from generate_series(0, $3 - 1) g`,
    [t.tenantId, t.agentId, calls],
  );
  // The range's edges: the last microsecond inside it, and one just outside each end.
  for (const at of ["2025-01-02T23:59:59.999999Z", "2025-01-03T00:00:00Z", "2024-12-31T23:59:59.999999Z"])
    await owner(
      "insert into calls (tenant_id, agent_id, direction, status, created_at) values ($1, $2, 'web', 'completed', $3)",
      [t.tenantId, t.agentId, at],
    );
  await owner(
    `insert into usage_records (tenant_id, call_id, kind, quantity, unit_price_micros, amount_micros, plan, created_at)
     select tenant_id, id, 'call_seconds', 60, 1500, 90000, 'payg', created_at from calls where tenant_id = $1`,
    [t.tenantId],
  );
  const key = await createApiKey(db, {
    tenantId: t.tenantId,
    name: "exports",
    scopes: ["calls:read"],
    actor: { userId: null, ip: null },
  });
  return { ...t, key: key.key };
}
const expectedIds = async (table: "calls" | "usage_records", tenantId: string) =>
  (
    await owner(
      `select ${table === "calls" ? "id" : "call_id as id"} from ${table} where tenant_id = $1
       and created_at >= '2025-01-01T00:00:00Z' and created_at < '2025-01-03T00:00:00Z' order by created_at, ${table}.id`,
      [tenantId],
    )
  ).map((r) => r.id);

let a: Awaited<ReturnType<typeof tenantWith>>;
let b: Awaited<ReturnType<typeof tenantWith>>;
beforeAll(async () => {
  // One connection: an export that kept it after its client left would stall every later request.
  db = createNodeDb(inject("appUrl"), { max: 1 });
  db.$pool.on("acquire", () => acquired++);
  const telephony = telephonyFrom(
    { TWILIO_ACCOUNT_SID: "AC0", TWILIO_AUTH_TOKEN: "t", EDGE_PUBLIC_URL: "https://edge.bvrai.test" },
    db,
    pii,
  );
  server = createServer(getRequestListener(createApi(testApiServices(telephony)).fetch));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  a = await tenantWith(N);
  b = await tenantWith(500);
}, 120_000);
afterAll(async () => {
  server?.close();
  await db?.$pool.end();
});

const get = (path: string, key: string) => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });

describe("exports", () => {
  for (const [path, table, idColumn] of [
    ["/exports/calls", "calls", "call_id"],
    ["/exports/usage", "usage_records", "call_id"],
  ] as const)
    it(`${path}: every row of the range, oldest first, exact edges, none of another tenant's, with the total up front`, async () => {
      const res = await get(`${path}?${range}`, a.key);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
      expect(res.headers.get("x-total-rows")).toBe(String(N + 1));
      const [header, ...rows] = parseCsv(await res.text());
      const ids = rows.map((r) => r[header!.indexOf(idColumn)]);
      expect(ids.length).toBe(N + 1);
      expect(ids.length).toBeGreaterThan(10 * EXPORT_BATCH_ROWS);
      expect(ids).toEqual(await expectedIds(table, a.tenantId));
      const theirs = new Set(await expectedIds(table, b.tenantId));
      expect(ids.filter((id) => theirs.has(id!))).toEqual([]);
    }, 120_000);

  it("a client that leaves mid-download cancels the stream: its connection comes back and no batch follows", async () => {
    const whole = async () => {
      const before = acquired;
      expect((await (await get(`/exports/usage?${range}`, b.key)).text()).split("\r\n").length).toBe(500 + 3);
      return acquired - before;
    };
    const perExport = await whole();
    await new Promise<void>((resolve, reject) => {
      const req = request(`${url}/exports/calls?${range}`, { headers: { authorization: `Bearer ${a.key}` } }, (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.on("error", (e) =>
        e.message.includes("aborted") || e.message.includes("socket hang up") ? null : reject(e),
      );
      req.end();
    });
    await eventually(async () => db.$pool.idleCount === db.$pool.totalCount && db.$pool.waitingCount === 0);
    // Were the abandoned export still reading batches, they would be counted against this one.
    expect(await whole()).toBe(perExport);
  }, 60_000);
});
