/**
 * Small SVG charts, drawn on the server as on the client: sizes and colours are attributes and
 * classes (app.css), never inline styles, which the CSP forbids in server-rendered HTML. Each
 * chart is one role="img" with its title as label; each bar and point carries a <title> (the
 * browser's tooltip). A few kB instead of a chart library (docs/decisions/0046).
 */

export type Series<T> = { key: keyof T & string; name: string; className: string; axis?: "left" | "right" };

const WIDTH = 640;
const MARGIN = { top: 12, right: 52, bottom: 28, left: 52 };

/** Axis ticks from 0 past `max` in steps of 1, 2 or 5 times a power of ten (whole steps if `integers`). */
export function niceTicks(max: number, integers = false, count = 4): number[] {
  const top = max >= 1e-6 && Number.isFinite(max) ? max : 1;
  const rough = top / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  let step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough * (1 - 1e-9)) ?? 10 * power;
  if (integers) step = Math.max(1, Math.round(step));
  const steps = Math.max(1, Math.ceil(top / step - 1e-9));
  return Array.from({ length: steps + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

const label = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/0$/, ""));

export function Legend<T>({ series }: { series: Series<T>[] }) {
  return (
    <ul className="chart-legend">
      {series.map((s) => (
        <li key={s.key}>
          <svg width="10" height="10" aria-hidden="true">
            <rect className={s.className} width={10} height={10} />
          </svg>{" "}
          {s.name}
        </li>
      ))}
    </ul>
  );
}

/** Values per day as grouped bars or as lines, on a left axis and an optional right one. */
export function DayChart<T extends { day: string }>(props: {
  title: string;
  data: T[];
  series: Series<T>[];
  kind: "bar" | "line";
  integerAxes?: ("left" | "right")[];
  height?: number;
}) {
  const { title, data, series, kind, height = 240 } = props;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const value = (d: T, s: Series<T>) => Number(d[s.key]) || 0;
  const ticksOf = (axis: "left" | "right") => {
    const on = series.filter((s) => (s.axis ?? "left") === axis);
    if (!on.length) return [];
    return niceTicks(Math.max(...data.flatMap((d) => on.map((s) => value(d, s)))), props.integerAxes?.includes(axis));
  };
  const ticks = { left: ticksOf("left"), right: ticksOf("right") };
  const y = (axis: "left" | "right", v: number) => MARGIN.top + plotH - (v / (ticks[axis].at(-1) ?? 1)) * plotH;
  const band = plotW / Math.max(data.length, 1);
  const every = Math.ceil(data.length / 8);
  const barW = (band * 0.8) / series.length;
  const x = (i: number) => MARGIN.left + i * band;
  return (
    <svg className="chart" viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={title}>
      {ticks.left.map((t) => (
        <g key={`l${t}`} className="chart-axis">
          <line className="chart-grid" x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={y("left", t)} y2={y("left", t)} />
          <text x={MARGIN.left - 6} y={y("left", t) + 4} textAnchor="end">
            {label(t)}
          </text>
        </g>
      ))}
      {ticks.right.map((t) => (
        <text key={`r${t}`} className="chart-axis" x={WIDTH - MARGIN.right + 6} y={y("right", t) + 4}>
          {label(t)}
        </text>
      ))}
      {data.map((d, i) =>
        i % every ? null : (
          <text key={d.day} className="chart-axis" x={x(i) + band / 2} y={height - 8} textAnchor="middle">
            {d.day.slice(5)}
          </text>
        ),
      )}
      {series.map((s, si) => {
        const axis = s.axis ?? "left";
        const tip = (d: T) => `${d.day}: ${s.name} ${label(value(d, s))}`;
        if (kind === "line") {
          const points = data.map((d, i) => [x(i) + band / 2, y(axis, value(d, s))] as const);
          return (
            <g key={s.key} className={s.className}>
              <path className="chart-line" d={points.map(([px, py], i) => `${i ? "L" : "M"}${px} ${py}`).join(" ")} />
              {data.map((d, i) => (
                <circle key={d.day} cx={points[i]![0]} cy={points[i]![1]} r={2.5}>
                  <title>{tip(d)}</title>
                </circle>
              ))}
            </g>
          );
        }
        return data.map((d, i) => {
          const v = value(d, s);
          if (v <= 0) return null;
          const top = Math.min(y(axis, v), MARGIN.top + plotH - 1);
          return (
            <rect
              key={`${s.key}${d.day}`}
              className={`chart-bar ${s.className}`}
              x={x(i) + band * 0.1 + si * barW}
              y={top}
              width={barW}
              height={MARGIN.top + plotH - top}
            >
              <title>{tip(d)}</title>
            </rect>
          );
        });
      })}
    </svg>
  );
}

/** Horizontal grouped bars, one row per label, every series on one axis. */
export function RowChart<T extends { label: string }>(props: { title: string; data: T[]; series: Series<T>[] }) {
  const { title, data, series } = props;
  const left = 150;
  const rowH = 36;
  const height = MARGIN.top + Math.max(data.length, 1) * rowH + MARGIN.bottom;
  const plotW = WIDTH - left - MARGIN.right;
  const value = (d: T, s: Series<T>) => Number(d[s.key]) || 0;
  const ticks = niceTicks(Math.max(0, ...data.flatMap((d) => series.map((s) => value(d, s)))));
  const x = (v: number) => left + (v / ticks.at(-1)!) * plotW;
  const barH = (rowH * 0.7) / series.length;
  return (
    <svg className="chart" viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-label={title}>
      {ticks.map((t) => (
        <g key={t} className="chart-axis">
          <line className="chart-grid" x1={x(t)} x2={x(t)} y1={MARGIN.top} y2={height - MARGIN.bottom} />
          <text x={x(t)} y={height - 8} textAnchor="middle">
            {label(t)}
          </text>
        </g>
      ))}
      {data.map((d, i) => (
        <g key={d.label}>
          <text className="chart-axis" x={left - 8} y={MARGIN.top + i * rowH + rowH / 2 + 4} textAnchor="end">
            {d.label.length > 22 ? `${d.label.slice(0, 21)}…` : d.label}
          </text>
          {series.map((s, si) =>
            value(d, s) > 0 ? (
              <rect
                key={s.key}
                className={`chart-bar ${s.className}`}
                x={left}
                y={MARGIN.top + i * rowH + rowH * 0.15 + si * barH}
                width={Math.max(1, x(value(d, s)) - left)}
                height={barH}
              >
                <title>{`${d.label}: ${s.name} ${label(value(d, s))}`}</title>
              </rect>
            ) : null,
          )}
        </g>
      ))}
    </svg>
  );
}
