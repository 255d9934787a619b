import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GettingStarted } from "~/components/getting-started";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { can } from "~/utils/permissions";
import { listAgents } from "../../db/queries/agents";
import { onboardingProgress } from "../../db/queries/onboarding";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId, role } = await requirePermission(request, "agent:read");
  const agents = await listAgents(db(), { tenantId });
  const onboarding = await onboardingProgress(db(), { tenantId });
  return {
    agents: agents.map((a) => ({ id: a.id, name: a.name, model: a.model, voice: a.voice })),
    canWrite: can(role, "agent:write"),
    onboarding: onboarding.complete ? null : onboarding.done,
  };
}

export default function Agents() {
  const { agents, canWrite, onboarding } = useLoaderData<typeof loader>();
  return (
    <>
      {onboarding && <GettingStarted done={onboarding} firstAgentId={agents.at(-1)?.id} />}
      <h1>Agents</h1>
      {canWrite && <Link to="/agents/new">New agent</Link>}
      {agents.length === 0 ? (
        <p className="muted">No agents yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Model</th>
              <th>Voice</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link to={`/agents/${a.id}`}>{a.name}</Link>
                </td>
                <td>{a.model}</td>
                <td>{a.voice}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
