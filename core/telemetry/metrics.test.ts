import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { metricNames } from "./metrics";

const doc = (path: string) => readFileSync(new URL(`../../docs/ops/${path}`, import.meta.url), "utf8");
/** Series named in an expression, without the histogram suffixes Prometheus adds. */
const seriesIn = (text: string) => [
  ...new Set([...text.matchAll(/\bbvrai_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, ""))),
];

describe("the operations docs and the metrics", () => {
  type Rule = { alert: string; expr: string; annotations: { runbook_url: string; summary: string } };
  const rules = (parse(doc("alerts.yml")) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);

  it("every alert and dashboard panel uses only metrics the processes export", () => {
    const exported = new Set(metricNames());
    const used = seriesIn(rules.map((r) => r.expr).join("\n") + doc("grafana-dashboard.json"));
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((m) => !exported.has(m))).toEqual([]);
  });

  it("every alert has a summary and a runbook section that exists", () => {
    const runbooks = doc("runbooks.md");
    const anchors = new Set([...runbooks.matchAll(/^## (\S+)/gm)].map((m) => m[1]!.toLowerCase()));
    for (const r of rules) {
      expect(r.annotations.summary, r.alert).toBeTruthy();
      expect(r.annotations.runbook_url).toBe(`docs/ops/runbooks.md#${r.alert.toLowerCase()}`);
      expect(anchors.has(r.alert.toLowerCase()), `runbook for ${r.alert}`).toBe(true);
    }
  });

  it("the dashboard is importable Grafana JSON with a Prometheus query on every panel", () => {
    const dashboard = JSON.parse(doc("grafana-dashboard.json")) as {
      uid: string;
      panels: { title: string; targets: { expr: string }[] }[];
    };
    expect(dashboard.uid).toBe("bvrai-platform");
    for (const p of dashboard.panels) expect(p.targets.length, p.title).toBeGreaterThan(0);
  });
});
