import { Form, Link, useRevalidator } from "@remix-run/react";
import { useState } from "react";
import type { FieldErrors } from "~/utils/forms";
import type { VoiceOption } from "../../core/agents/voice-catalogue";
import { type Conflict, ConflictNotice } from "./agent-conflict";
import { AgentFields, type Values } from "./agent-fields";
import { TestCallPanel } from "./test-call-panel";
import { Button } from "./ui/button";
import { PageHeader } from "./ui/card";
import { useToastOn } from "./ui/toast";
import { UnsavedChanges, useDirty } from "./unsaved-changes";

type Result = { errors: FieldErrors | null; conflict: Conflict | null; saved: boolean };

/** The agent's settings in tabs, a test call beside them, and a save that never loses an edit. */
export function AgentEditor({
  agent,
  knowledgeBases,
  voices,
  result,
  canWrite,
  testCalls,
}: {
  agent: Values & { id: string; name: string; version: number };
  knowledgeBases: { id: string; name: string }[];
  voices?: VoiceOption[];
  result?: Result;
  canWrite: boolean;
  testCalls: { available: boolean; maxMinutes: number } | null;
}) {
  const revalidator = useRevalidator();
  // The version the user chose to overwrite after a conflict ("Keep my edits").
  const [kept, setKept] = useState(0);
  const [settled, setSettled] = useState<Result | null>(null);
  const { form, dirty, check } = useDirty(agent.version);
  useToastOn(result?.saved ? "Agent saved" : null, result);
  const conflict = result?.conflict && settled !== result ? result.conflict : null;
  const version = Math.max(agent.version, kept);
  return (
    <>
      <PageHeader
        title={agent.name}
        description={
          <>
            <Link to={`/agents/${agent.id}/versions`}>Version {agent.version}</Link>: history, differences, restore.
          </>
        }
        actions={
          <Button asChild variant="secondary" size="sm">
            <Link to={`/agents/${agent.id}/talk`}>Test in browser</Link>
          </Button>
        }
      />
      {conflict && (
        <ConflictNotice
          agentId={agent.id}
          conflict={conflict}
          onKeep={() => {
            setKept(conflict.version);
            setSettled(result ?? null);
          }}
          onLoadTheirs={() => {
            setSettled(result ?? null);
            revalidator.revalidate();
          }}
        />
      )}
      {kept > agent.version && (
        <p className="banner" data-testid="keeping">
          Saving will replace version {kept} with your edits.
        </p>
      )}
      <div className="grid items-start gap-6 xl:grid-cols-[minmax(0,1fr)_20rem]">
        <Form method="post" className="card min-w-0" key={agent.version} ref={form} onInput={check} onChange={check}>
          <input type="hidden" name="version" value={version} />
          <AgentFields values={agent} errors={result?.errors} knowledgeBases={knowledgeBases} voices={voices} />
          {canWrite && (
            <div className="mt-6 flex flex-wrap items-center gap-3 border-t border-line pt-4">
              <Button type="submit">Save</Button>
              {dirty && <span className="text-sm text-muted">Unsaved changes</span>}
            </div>
          )}
        </Form>
        {testCalls && (
          <aside aria-labelledby="test-panel" className="card xl:sticky xl:top-4">
            <h2 id="test-panel" className="mt-0 text-base">
              Try it
            </h2>
            <p className="text-sm text-muted">
              Talk or type to the agent as a caller would. This tests the last saved version (version {agent.version})
              {dirty ? ": save first to try your changes." : "."} Calls last at most {testCalls.maxMinutes} minutes.
            </p>
            <TestCallPanel agentId={agent.id} available={testCalls.available} />
          </aside>
        )}
      </div>
      <UnsavedChanges dirty={dirty} />
    </>
  );
}
