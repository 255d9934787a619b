import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { AgentTool } from "../core/agent-tools";
import type { PiiCipher } from "../core/crypto/pii";
import { agents, agentVersions } from "./schema";
import { type Db, withTenantMaintenance } from "./tenant";
import { resealToolHeaders } from "./tool-headers";

/** Where HTTP tools live: the agent's own column, and each version's copy of it inside its settings. */
const places: {
  name: string;
  table: PgTable;
  id: PgColumn;
  tenantId: PgColumn;
  column: PgColumn;
  tools: PgColumn | ReturnType<typeof sql>;
  read: (v: unknown) => AgentTool[];
  write: (v: unknown, tools: AgentTool[]) => unknown;
}[] = [
  {
    name: "agents.tools",
    table: agents,
    id: agents.id,
    tenantId: agents.tenantId,
    column: agents.tools,
    tools: agents.tools,
    read: (v) => v as AgentTool[],
    write: (_, tools) => tools,
  },
  {
    name: "agent_versions.settings",
    table: agentVersions,
    id: agentVersions.id,
    tenantId: agentVersions.tenantId,
    column: agentVersions.settings,
    tools: sql`${agentVersions.settings}->'tools'`,
    read: (v) => ((v as { tools?: AgentTool[] }).tools ?? []) as AgentTool[],
    write: (v, tools) => ({ ...(v as object), tools }),
  },
];

/**
 * The rotation of HTTP tools' header values, which sit inside JSON: one tenant's rows with any
 * header, in batches of short transactions, each row written only if unchanged since read.
 */
export async function rotateToolHeaders(
  db: Db,
  pii: PiiCipher,
  tenantId: string,
  opts: { batchSize: number; afterBatch: () => Promise<void>; log: (msg: string) => void },
) {
  const report = { rewritten: 0, unreadable: 0 };
  for (const p of places) {
    let cursor = "00000000-0000-0000-0000-000000000000";
    for (;;) {
      const done = await withTenantMaintenance(db, tenantId, async (tx) => {
        const rows = (await tx
          .select({ id: p.id, value: p.column })
          .from(p.table)
          .where(
            and(
              eq(p.tenantId, tenantId),
              gt(p.id, cursor),
              sql`jsonb_path_exists(coalesce(${p.tools}, '[]'::jsonb), '$[*].headers.*')`,
            ),
          )
          .orderBy(asc(p.id))
          .limit(opts.batchSize)) as { id: string; value: unknown }[];
        for (const row of rows) {
          cursor = row.id;
          const { tools, rewritten, unreadable } = await resealToolHeaders(pii, { tenantId, tools: p.read(row.value) });
          report.unreadable += unreadable;
          if (unreadable)
            opts.log(
              `${p.name} of row ${row.id}: ${unreadable} header value(s) do not decrypt for its tenant; left unchanged`,
            );
          if (!rewritten) continue;
          await tx.execute(
            sql`update ${p.table} set ${sql.identifier(p.column.name)} = ${JSON.stringify(p.write(row.value, tools))}::jsonb where ${and(eq(p.id, row.id), sql`${p.column} = ${JSON.stringify(row.value)}::jsonb`)}`,
          );
          report.rewritten++;
        }
        return rows.length < opts.batchSize;
      });
      await opts.afterBatch();
      if (done) break;
    }
  }
  return report;
}
