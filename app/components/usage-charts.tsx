import { useEffect, useState } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

export type DayPoint = { day: string; calls: number; minutes: number; cost: number; avgSeconds: number };
export type SharePoint = { label: string; minutes: number; calls: number };

/**
 * Minutes and calls per day, and cost per day (recharts). Drawn only in the browser: the charts
 * set inline styles, which the production CSP allows from script but not in server-rendered HTML.
 * Cost is a display figure here (dollars as a number); the exact amounts are in the tables and CSV.
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
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  if (!mounted) return <p className="muted">Loading charts…</p>;
  return (
    <div className="charts" data-testid="usage-charts">
      <figure>
        <figcaption>Minutes and calls per day</figcaption>
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={days}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" />
            <YAxis yAxisId="minutes" />
            <YAxis yAxisId="calls" orientation="right" allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar yAxisId="minutes" dataKey="minutes" name="Minutes" fill="#2563eb" />
            <Bar yAxisId="calls" dataKey="calls" name="Calls" fill="#16a34a" />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure>
        <figcaption>Cost per day (USD) and average call length (seconds)</figcaption>
        <ResponsiveContainer width="100%" height={240}>
          <LineChart data={days}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" />
            <YAxis yAxisId="cost" />
            <YAxis yAxisId="avg" orientation="right" />
            <Tooltip />
            <Legend />
            <Line yAxisId="cost" type="monotone" dataKey="cost" name="Cost" stroke="#dc2626" dot={false} />
            <Line
              yAxisId="avg"
              type="monotone"
              dataKey="avgSeconds"
              name="Average length"
              stroke="#7c3aed"
              dot={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </figure>
      {[
        ["Minutes and calls by agent", byAgent],
        ["Minutes and calls by number", byNumber],
      ].map(([title, data]) => (
        <figure key={title as string}>
          <figcaption>{title as string}</figcaption>
          <ResponsiveContainer width="100%" height={200}>
            <BarChart data={data as SharePoint[]} layout="vertical">
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis type="number" />
              <YAxis type="category" dataKey="label" width={140} />
              <Tooltip />
              <Legend />
              <Bar dataKey="minutes" name="Minutes" fill="#2563eb" />
              <Bar dataKey="calls" name="Calls" fill="#16a34a" />
            </BarChart>
          </ResponsiveContainer>
        </figure>
      ))}
    </div>
  );
}
