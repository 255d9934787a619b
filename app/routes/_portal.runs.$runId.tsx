import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { ReplayComparison } from "~/components/replay-comparison";
import { Card } from "~/components/ui/card";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { describeExpectation } from "~/utils/expectation-words";
import { requireIdParam } from "~/utils/params.server";
import { pii } from "~/utils/pii.server";
import { getCall } from "../../db/queries/calls";
import { getRun } from "../../db/queries/test-suites";

const notFound = () => new Response("Run not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "agent:read");
  const run = await getRun(db(), { tenantId, id: requireIdParam(params, "runId", notFound) });
  if (!run) throw notFound();
  const call = run.replayOfCallId ? await getCall(db(), pii(), { tenantId, id: run.replayOfCallId }) : null;
  return {
    run: {
      id: run.id,
      status: run.status,
      suiteId: run.suiteId,
      agentId: run.agentId,
      agentVersion: run.agentVersion,
      passed: run.passed,
      failed: run.failed,
    },
    results: run.results.map((r) => ({
      id: r.id,
      caseName: r.caseName,
      status: r.status,
      transcript: r.transcript,
      checks: r.checks,
      error: r.error,
    })),
    original: call && {
      id: call.id,
      agentVersion: call.agentVersion,
      transcript: call.turns.map((t) => ({ speaker: t.speaker, text: t.text })),
    },
  };
}

export default function Run() {
  const { run, results, original } = useLoaderData<typeof loader>();
  const { revalidate, state } = useRevalidator();
  const pending = run.status === "queued" || run.status === "running";
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => state === "idle" && revalidate(), 1500);
    return () => clearInterval(timer);
  }, [pending, revalidate, state]);
  return (
    <>
      <h1>
        {original ? "Replay" : "Test run"}: version {run.agentVersion}
      </h1>
      <p>
        {run.suiteId && <Link to={`/suites/${run.suiteId}`}>Back to the suite</Link>}
        {original && <Link to={`/calls/${original.id}`}>Back to the call</Link>}
      </p>
      <p role="status" data-testid="run-status">
        {pending
          ? `${run.status === "queued" ? "Queued" : "Running"}…`
          : run.status === "error"
            ? "The run could not start."
            : `${run.status === "passed" ? "Passed" : "Failed"}: ${run.passed} passed, ${run.failed} failed`}
      </p>
      {original && results[0] && (
        <ReplayComparison
          original={original.transcript}
          replay={results[0].transcript}
          callerLines={original.transcript.filter((t) => t.speaker === "caller").map((t) => t.text)}
          versions={[`The call (version ${original.agentVersion ?? "?"})`, `Version ${run.agentVersion}`]}
        />
      )}
      {!original &&
        results.map((r) => (
          <Card key={r.id} data-testid="test-result" data-status={r.status}>
            <h2>
              {r.status === "passed" ? "✓" : "✗"} {r.caseName}
            </h2>
            {r.error && <p className="error">{r.error}</p>}
            <ul>
              {r.checks.map((c) => (
                <li key={`${describeExpectation(c.expectation)}`}>
                  {c.passed ? "✓" : "✗"} {describeExpectation(c.expectation)}: <span className="muted">{c.detail}</span>
                </li>
              ))}
            </ul>
            <ol className="muted">
              {r.transcript.map((l, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a transcript line's place is its identity
                <li key={i}>
                  <strong>{l.speaker}</strong> {l.text}
                </li>
              ))}
            </ol>
          </Card>
        ))}
    </>
  );
}
