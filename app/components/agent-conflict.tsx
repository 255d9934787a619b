import { Link } from "@remix-run/react";
import { Button } from "./ui/button";

export type Conflict = { version: number; base: number | null; changed: string[]; by: string | null };

/** Someone saved the agent while this editor was open: what they changed, and the two ways on. */
export function ConflictNotice({
  agentId,
  conflict,
  onKeep,
  onLoadTheirs,
}: {
  agentId: string;
  conflict: Conflict;
  onKeep(): void;
  onLoadTheirs(): void;
}) {
  const { version, base, changed, by } = conflict;
  return (
    <div role="alert" className="mb-4 rounded-lg border border-warn bg-warn-soft p-4 text-sm">
      <p className="m-0 font-semibold">
        {by ?? "Someone"} saved version {version} of this agent while you were editing, so your changes are not saved
        yet.
      </p>
      {changed.length > 0 && (
        <p className="mt-1 mb-0" data-testid="conflict-changed">
          They changed: {changed.join(", ")}.{" "}
          {base && <Link to={`/agents/${agentId}/versions?from=${base}&to=${version}`}>See the differences</Link>}
        </p>
      )}
      <p className="mt-1 mb-0">Your edits are still in the form below.</p>
      <div className="mt-3 flex flex-wrap gap-2">
        <Button size="sm" onClick={onKeep}>
          Keep my edits
        </Button>
        <Button size="sm" variant="secondary" onClick={onLoadTheirs}>
          Load their version (discard mine)
        </Button>
      </div>
    </div>
  );
}
