import { type SQL, sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import type { Tx } from "./tenant";

export const queues = { callEnded: "call.ended", callPrice: "call.price", recordingStore: "recording.store" } as const;
export type CallEndedJob = { tenantId: string; callId: string };

/** pg-boss speaks `$1` placeholders; this runs its SQL on any Drizzle transaction (pg, Neon, PGlite). */
function executor(tx: Tx): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const parts = text.split(/\$(\d+)/);
      const query: SQL = sql.empty();
      parts.forEach((part, i) => {
        if (i % 2 === 0) query.append(sql.raw(part));
        else query.append(sql`${values[Number(part) - 1] ?? null}`); // drizzle drops undefined
      });
      const result = (await tx.execute(query)) as unknown as { rows: unknown[] };
      return { rows: result.rows };
    },
  };
}

// A sender needs no connection of its own: every send runs inside the caller's transaction.
const sender = new PgBoss({ connectionString: "postgres://unused.invalid/unused" });

/** Enqueues in the caller's transaction: the job exists if and only if the transaction commits. */
export async function enqueue<T extends object>(tx: Tx, name: string, data: T, singletonKey?: string) {
  return sender.send(name, data, { db: executor(tx), ...(singletonKey ? { singletonKey } : {}) });
}
