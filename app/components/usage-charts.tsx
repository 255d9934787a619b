import { DayChart, Legend, RowChart, type Series } from "./svg-chart";

export type DayPoint = { day: string; calls: number; minutes: number; cost: number; avgSeconds: number };
export type SharePoint = { label: string; minutes: number; calls: number };

const perDay: Series<DayPoint>[] = [
  { key: "minutes", name: "Minutes", className: "series-minutes" },
  { key: "calls", name: "Calls", className: "series-calls", axis: "right" },
];
const costPerDay: Series<DayPoint>[] = [
  { key: "cost", name: "Cost", className: "series-cost" },
  { key: "avgSeconds", name: "Average length", className: "series-average", axis: "right" },
];
const shares: Series<SharePoint>[] = [
  { key: "minutes", name: "Minutes", className: "series-minutes" },
  { key: "calls", name: "Calls", className: "series-calls" },
];

/**
 * Minutes and calls per day, cost per day, and minutes and calls by agent and by number. Cost is a
 * display figure here (dollars as a number); the exact amounts are in the tables and the CSV. The
 * per-day figures are also a table (folded away); by agent and by number are the tables below.
 */
export function UsageCharts({
  days,
  byAgent,
  byNumber,
}: {
  days: DayPoint[];
  byAgent: SharePoint[];
  byNumber: SharePoint[];
}) {
  return (
    <div className="charts" data-testid="usage-charts">
      <figure>
        <figcaption>Minutes and calls per day</figcaption>
        <DayChart title="Minutes and calls per day" data={days} series={perDay} kind="bar" integerAxes={["right"]} />
        <Legend series={perDay} />
      </figure>
      <figure>
        <figcaption>Cost per day (USD) and average call length (seconds)</figcaption>
        <DayChart
          title="Cost per day (USD) and average call length (seconds)"
          data={days}
          series={costPerDay}
          kind="line"
        />
        <Legend series={costPerDay} />
      </figure>
      {(
        [
          ["Minutes and calls by agent", byAgent],
          ["Minutes and calls by number", byNumber],
        ] as const
      ).map(([title, data]) => (
        <figure key={title}>
          <figcaption>{title}</figcaption>
          <RowChart title={title} data={data} series={shares} />
          <Legend series={shares} />
        </figure>
      ))}
      <details>
        <summary>The figures per day as a table</summary>
        <table aria-label="Usage per day">
          <thead>
            <tr>
              <th>Day (UTC)</th>
              <th>Calls</th>
              <th>Minutes</th>
              <th>Cost (USD)</th>
              <th>Average length (s)</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}>
                <td>{d.day}</td>
                <td>{d.calls}</td>
                <td>{d.minutes.toFixed(1)}</td>
                <td>{d.cost.toFixed(2)}</td>
                <td>{d.avgSeconds}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
