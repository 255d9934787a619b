import fc from "fast-check";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { niceTicks } from "./svg-chart";
import { type DayPoint, UsageCharts } from "./usage-charts";

const day = (d: string, calls: number, seconds: number): DayPoint => ({
  day: d,
  calls,
  minutes: seconds / 60,
  cost: seconds * 0.001,
  avgSeconds: calls ? Math.round(seconds / calls) : 0,
});
const days = [day("2026-11-01", 0, 0), day("2026-11-02", 2, 120), day("2026-11-03", 0, 0)];
const html = renderToStaticMarkup(
  createElement(UsageCharts, {
    days,
    byAgent: [{ label: "Order desk", minutes: 2, calls: 2 }],
    byNumber: [{ label: "web calls", minutes: 2, calls: 2 }],
  }),
);

describe("usage charts", () => {
  it("draws four charts on the server, bars only where there is usage, with their figures as tooltips", () => {
    expect(html.match(/<svg class="chart"/g)).toHaveLength(4); // tests/e2e/billing.spec.ts counts them
    expect(html.match(/<svg class="chart"[^>]*role="img"/g)).toHaveLength(4);
    expect(html).toContain('aria-label="Minutes and calls by agent"');
    // Minutes and calls on 2026-11-02, then each share chart's two bars; the empty days have none.
    expect(html.match(/class="chart-bar /g)).toHaveLength(6);
    expect(html).toContain("<title>2026-11-02: Minutes 2</title>");
    expect(html).toContain("<title>Order desk: Calls 2</title>");
  });

  it("sets no inline style, which the CSP forbids in server-rendered HTML", () => {
    expect(html).not.toMatch(/style=/);
  });

  it("has the per-day figures as a table, one row a day", () => {
    expect(html).toContain('<table aria-label="Usage per day">');
    expect(html.match(/<tr><td>2026-11-0\d<\/td>/g)).toHaveLength(3);
    expect(html).toContain("<td>2026-11-02</td><td>2</td><td>2.0</td><td>0.12</td><td>60</td>");
  });

  it("axis ticks run from 0 past the largest value in equal round steps", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.boolean(), (max, integers) => {
        const ticks = niceTicks(max, integers);
        const step = ticks[1]! - ticks[0]!;
        expect(ticks[0]).toBe(0);
        expect(ticks.at(-1)!).toBeGreaterThanOrEqual(max);
        expect(ticks.length).toBeLessThanOrEqual(11);
        for (const [i, t] of ticks.entries()) expect(t).toBeCloseTo(i * step, 6);
        if (integers) expect(ticks.every(Number.isInteger)).toBe(true);
      }),
    );
    expect(niceTicks(0)).toEqual([0, 0.5, 1]);
    expect(niceTicks(2, true)).toEqual([0, 1, 2]);
    expect(niceTicks(0.12)).toEqual([0, 0.05, 0.1, 0.15]);
  });
});
