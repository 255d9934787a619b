import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";

const folder = join(dirname(fileURLToPath(import.meta.url)), "../migrations");
type Entry = { idx: number; tag: string; when: number };
const journal = (): Entry[] => JSON.parse(readFileSync(join(folder, "meta/_journal.json"), "utf8")).entries;

/** Applies every pending migration (tables, roles and policies, the job queue). Idempotent. */
export async function migrateUp(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await migrate(drizzle(pool), { migrationsFolder: folder });
  } finally {
    await pool.end();
  }
}

/** Rolls back the newest `steps` applied migrations with their reviewed scripts in rollback/. */
export async function migrateDown(url: string, steps: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const applied = await client.query<{ created_at: string }>(
      "select created_at from drizzle.__drizzle_migrations order by created_at desc limit $1",
      [steps],
    );
    for (const row of applied.rows) {
      const entry = journal().find((e) => String(e.when) === String(row.created_at));
      if (!entry) throw new Error(`applied migration ${row.created_at} is not in the journal`);
      const down = readFileSync(join(folder, "rollback", `${entry.tag}.down.sql`), "utf8");
      await client.query("begin");
      await client.query(down);
      await client.query("delete from drizzle.__drizzle_migrations where created_at = $1", [row.created_at]);
      await client.query("commit");
      console.log(`rolled back ${entry.tag}`);
    }
  } catch (err) {
    await client.query("rollback").catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.DATABASE_MIGRATION_URL ?? process.env.DATABASE_URL;
  if (!url) {
    console.error("Set DATABASE_MIGRATION_URL (a role that owns the schema) or DATABASE_URL.");
    process.exit(1);
  }
  const [direction = "up", arg = "1"] = process.argv.slice(2);
  const run = direction === "down" ? migrateDown(url, arg === "all" ? 1e6 : Number(arg)) : migrateUp(url);
  run
    .then(() => console.log(`migrations ${direction}: done`))
    .catch((err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
