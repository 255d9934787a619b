import { Link } from "@remix-run/react";
import { formatDuration } from "~/utils/format";
import { Badge, type BadgeTone } from "./ui/badge";
import { DataTable, SortHeader } from "./ui/table";

/** One call as a list shows it (the loader's JSON: times as ISO text, cost already formatted). */
export type CallRow = {
  id: string;
  createdAt: string;
  agentName: string | null;
  direction: "inbound" | "outbound" | "web";
  origin: string | null;
  fromNumber: string | null;
  status: string;
  success: boolean | null;
  answeredBy: string | null;
  durationSeconds: number | null;
  cost: string | null;
};

const statusTone: Record<string, BadgeTone> = {
  completed: "ok",
  failed: "danger",
  in_progress: "info",
  ringing: "warn",
};

const answeredByLabel: Record<string, string> = {
  human: "A person",
  voicemail: "Voicemail",
  screening: "Call screening",
  fax: "Fax",
  unknown: "Could not tell",
};

/** The calls list and Home's recent calls: the same columns; `sortable` makes When, Duration and Cost sort the URL. */
export function CallsTable({ calls, caption, sortable }: { calls: CallRow[]; caption: string; sortable?: boolean }) {
  const heading = (column: string, label: string, className?: string) =>
    sortable ? (
      <SortHeader column={column} label={label} className={className} />
    ) : (
      <th className={className}>{label}</th>
    );
  return (
    <DataTable caption={caption}>
      <thead>
        <tr>
          {heading("created", "When")}
          <th>Agent</th>
          <th>From</th>
          <th>Status</th>
          <th>Outcome</th>
          <th>Answered by</th>
          {heading("duration", "Duration", "text-right")}
          {heading("cost", "Cost", "text-right")}
        </tr>
      </thead>
      <tbody>
        {calls.map((c) => (
          <tr key={c.id}>
            <td className="whitespace-nowrap">
              <Link to={`/calls/${c.id}`}>{new Date(c.createdAt).toLocaleString("en-US", { timeZone: "UTC" })}</Link>
            </td>
            <td>{c.agentName ?? <span className="text-muted">deleted agent</span>}</td>
            <td data-testid="call-from">{c.direction === "web" ? `Web: ${c.origin ?? "widget"}` : c.fromNumber}</td>
            <td>
              <Badge tone={statusTone[c.status] ?? "neutral"}>{c.status.replace("_", " ")}</Badge>
            </td>
            <td data-testid="call-outcome">
              {c.success === null ? (
                "—"
              ) : (
                <Badge tone={c.success ? "ok" : "danger"}>{c.success ? "Successful" : "Not successful"}</Badge>
              )}
            </td>
            <td data-testid="call-answered-by" title={c.answeredBy ? answeredByLabel[c.answeredBy] : undefined}>
              {c.answeredBy ?? "—"}
            </td>
            <td data-testid="call-duration" className="text-right tabular-nums">
              {formatDuration(c.durationSeconds)}
            </td>
            <td className="text-right tabular-nums">{c.cost ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}

export const answeredByOptions = Object.entries(answeredByLabel);
