import { sql } from "drizzle-orm";
import { db } from "~/utils/db.server";

export async function loader() {
  try {
    await db().execute(sql`select 1`);
    return Response.json({ status: "ok", service: "web" });
  } catch {
    return Response.json({ status: "degraded", service: "web", database: "unreachable" }, { status: 503 });
  }
}
