import net from "node:net";
import { PGlite } from "@electric-sql/pglite";
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveSession } from "../../db/embedded-server";
import { message, query, sync } from "../../db/pg-wire";
import { eventually } from "../support/wait";

/**
 * The embedded default (`npm run dev` without DATABASE_URL): one PGlite, one Postgres session,
 * served to every process at once (db/embedded.ts). Before db/embedded-server.ts, clients'
 * extended-protocol messages interleaved on that session: answers carried another client's
 * parameters, and pg-boss's `complete` failed with `portal "" does not exist` (issue 18, item 16).
 */
let db: PGlite;
let server: Awaited<ReturnType<typeof serveSession>>;
const warnings: string[] = [];
const pools: pg.Pool[] = [];
const urlOf = (port: number) => `postgres://postgres@127.0.0.1:${port}/postgres`;
const pool = (max = 4, port = server.port) => {
  const p = new pg.Pool({ connectionString: urlOf(port), max });
  p.on("error", () => {});
  pools.push(p);
  return p;
};

beforeAll(async () => {
  db = await PGlite.create("memory://");
  server = await serveSession(db, { port: 0, log: (_level, msg) => warnings.push(msg) });
  await pool(1).query("create table ledger (who text primary key, n int not null)");
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end().catch(() => {})));
  await server?.close();
  await db?.close();
});

/** A raw wire-protocol client, for what pg never sends: a sequence left open, a transaction abandoned, garbage. */
async function rawClient(port = server.port) {
  const socket = net.connect(port, "127.0.0.1");
  socket.on("error", () => {});
  let received = Buffer.alloc(0);
  socket.on("data", (d) => {
    received = Buffer.concat([received, d]);
  });
  await new Promise((r) => socket.once("connect", r));
  const params = Buffer.from("user\0postgres\0database\0postgres\0\0");
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + params.length);
  head.writeInt32BE(196608, 4);
  socket.write(Buffer.concat([head, params]));
  const readyCount = () => received.toString("latin1").split("Z\0\0\0\x05").length - 1;
  await eventually(async () => readyCount() >= 1, 10_000, "startup");
  return { socket, readyCount, received: () => received, closed: new Promise((r) => socket.once("close", r)) };
}

describe("the embedded database serves several processes on its one session", () => {
  it("gives every client its own answers when parameterised queries and transactions from many pools run at once", async () => {
    const clients = [pool(), pool(), pool(), pool()];
    const errors: string[] = [];
    let wrong = 0;
    await Promise.all(
      clients.flatMap((p, pi) =>
        Array.from({ length: 4 }, async (_, ci) => {
          for (let i = 0; i < 40; i++) {
            const tag = `${pi}-${ci}-${i}`;
            try {
              if (i % 3 === 2) {
                // A transaction with a transaction-local setting, as withTenant does.
                const c = await p.connect();
                try {
                  await c.query("begin");
                  await c.query("select set_config('app.tenant_id', $1, true)", [tag]);
                  const seen = await c.query("select current_setting('app.tenant_id', true) as v");
                  await c.query("commit");
                  if (seen.rows[0]?.v !== tag) wrong++;
                } finally {
                  c.release();
                }
              } else {
                const r = await p.query("select $1::text as v", [tag]);
                if (r.rows[0]?.v !== tag) wrong++;
              }
            } catch (err) {
              errors.push((err as Error).message);
            }
          }
        }),
      ),
    );
    expect(errors).toEqual([]);
    expect(wrong).toBe(0);
    // Outside every transaction, no client's setting is left behind.
    expect((await pool(1).query("select current_setting('app.tenant_id', true) as v")).rows[0].v ?? "").toBe("");
  });

  it("rolls back the transaction of a client that disconnects inside it, and serves the others meanwhile", async () => {
    const raw = await rawClient();
    raw.socket.write(Buffer.concat([query("begin"), query("insert into ledger values ('abandoned', 1)")]));
    await eventually(async () => raw.readyCount() >= 3, 10_000, "the insert");
    const other = pool(1).query("insert into ledger values ('other', 2) returning n");
    raw.socket.destroy();
    expect((await other).rows[0].n).toBe(2);
    const rows = await pool(1).query("select who from ledger order by who");
    expect(rows.rows.map((r) => r.who)).toEqual(["other"]);
  });

  it("frees the session when a client leaves in the middle of an extended-protocol sequence (Parse and Bind, no Sync)", async () => {
    const raw = await rawClient();
    raw.socket.write(
      Buffer.concat([
        message("P", Buffer.from("\0select 1\0\0\0")),
        message("B", Buffer.from("\0\0\0\0\0\0\0\0")),
        message("H"),
      ]),
    );
    await eventually(async () => raw.received().includes(Buffer.from("2\0\0\0\x04")), 10_000, "BindComplete");
    const other = pool(1).query("select $1::int + 1 as n", [41]);
    raw.socket.destroy();
    expect((await other).rows[0].n).toBe(42);
  });

  it("lets a new connection in while another client holds a transaction, and runs its query after", async () => {
    const raw = await rawClient();
    raw.socket.write(Buffer.concat([query("begin"), query("insert into ledger values ('held', 4)")]));
    await eventually(async () => raw.readyCount() >= 3, 10_000, "the insert");
    // Pools give up connecting after seconds: connecting must not wait for the session.
    const late = new pg.Client({ connectionString: urlOf(server.port) });
    await late.connect();
    expect(server.stats().holding).toMatch(/^client #/);
    const seen = late.query("select count(*)::int as n from ledger where who = 'held'");
    raw.socket.destroy();
    expect((await seen).rows[0].n).toBe(0);
    await late.end();
  });

  it("disconnects a client that keeps a transaction open and idle, so the others are not stalled for ever", async () => {
    const idle = await serveSession(await db.clone(), {
      port: 0,
      idleHoldMs: 1000,
      log: (_level, msg) => warnings.push(msg),
    });
    try {
      const raw = await rawClient(idle.port);
      raw.socket.write(Buffer.concat([query("begin"), query("insert into ledger values ('idle', 3)")]));
      await eventually(async () => raw.readyCount() >= 3, 10_000, "the insert");
      const other = await pool(1, idle.port).query("select count(*)::int as n from ledger where who = 'idle'");
      expect(other.rows[0].n).toBe(0);
      await raw.closed;
      expect(raw.received().toString("latin1")).toContain("25P03");
      expect(warnings.join("\n")).toMatch(/kept a transaction open and idle/);
    } finally {
      await idle.close();
    }
  });

  it("keeps serving when a client sends garbage, a huge length or half a message and leaves", async () => {
    const bytes = fc.uint8Array({ minLength: 1, maxLength: 300 });
    await fc.assert(
      fc.asyncProperty(fc.boolean(), bytes, async (afterStartup, garbage) => {
        const socket = afterStartup ? (await rawClient()).socket : net.connect(server.port, "127.0.0.1");
        socket.on("error", () => {});
        socket.write(garbage);
        socket.write(sync().subarray(0, 3));
        socket.destroy();
        const r = await pool(1).query("select $1::text as v", ["still here"]);
        expect(r.rows[0].v).toBe("still here");
      }),
      { numRuns: 40 },
    );
    const huge = await rawClient();
    huge.socket.write(Buffer.from([0x51, 0x7f, 0xff, 0xff, 0xff]));
    await huge.closed;
    expect(huge.received().toString("latin1")).toContain("08P01");
    expect((await pool(1).query("select 1 as one")).rows[0].one).toBe(1);
  });
});
