import type pg from "pg";

/** One statement's plan, reduced to its shape: the top node, the indexes it used, the rows it read. */
export type PlanShape = { ms: number; top: string; indexes: string[]; rowsRead: number };

type PlanNode = {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Actual Total Time": number;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
};

function shapeOf(root: PlanNode): PlanShape {
  const indexes = new Set<string>();
  let rowsRead = 0;
  const walk = (n: PlanNode) => {
    if (n["Index Name"]) indexes.add(n["Index Name"]);
    // Rows the scans produced or threw away: what the statement touched, not what it returned.
    if (n["Relation Name"] || n["Index Name"])
      rowsRead += (n["Actual Rows"] + (n["Rows Removed by Filter"] ?? 0)) * n["Actual Loops"];
    for (const c of n.Plans ?? []) walk(c);
  };
  walk(root);
  const seq = root["Node Type"];
  return { ms: root["Actual Total Time"], top: seq, indexes: [...indexes], rowsRead };
}

/**
 * While `capturing` is on, every SELECT the app sends on this pool's connections is first run as
 * EXPLAIN (ANALYZE, FORMAT JSON) with the same parameters on the same connection, inside the same
 * tenant-bound transaction: the plans are those of the real queries under RLS, not of copies.
 */
export function planRecorder(pool: pg.Pool) {
  let capturing = false;
  let plans: PlanShape[] = [];
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...a: unknown[]) => Promise<pg.QueryResult>;
    client.query = (async (...args: unknown[]) => {
      const first = args[0] as string | { text: string; values?: unknown[] };
      const text = typeof first === "string" ? first : first.text;
      const values = (typeof first === "string" ? undefined : first.values) ?? (args[1] as unknown[]);
      if (capturing && /^\s*select/i.test(text) && !text.includes("set_config")) {
        const r = await query({ text: `explain (analyze, format json) ${text}`, values });
        plans.push(shapeOf((r.rows[0] as { "QUERY PLAN": [{ Plan: PlanNode }] })["QUERY PLAN"][0].Plan));
      }
      return query(...args);
    }) as typeof client.query;
  });
  return {
    /** Runs `fn` once with plans recorded; returns its slowest statement's shape. */
    async slowest(fn: () => Promise<unknown>) {
      plans = [];
      capturing = true;
      try {
        await fn();
      } finally {
        capturing = false;
      }
      return plans.sort((a, b) => b.ms - a.ms)[0];
    },
  };
}
