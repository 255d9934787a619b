import pg from "pg";
import { migrateUp } from "../../db/scripts/migrate";

/** The test server: a real Postgres. CI and this machine run one on 127.0.0.1:5432 (trust auth). */
export const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export function urlFor(database: string, user?: string) {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  if (user) {
    u.username = user;
    u.password = "";
  }
  return u.toString();
}

/** Creates an empty database (dropping a leftover one) and returns its owner and app-role URLs. */
export async function freshDatabase(name: string, { migrate = true } = {}) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const ownerUrl = urlFor(name);
  if (migrate) await migrateUp(ownerUrl);
  return { ownerUrl, appUrl: urlFor(name, "bvrai_app") };
}
