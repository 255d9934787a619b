import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GettingStarted } from "~/components/getting-started";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { PageHeader } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { DataTable } from "~/components/ui/table";
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
      <PageHeader
        title="Agents"
        description="Each agent answers calls with its own prompt, voice and tools."
        actions={
          canWrite && (
            <Button asChild>
              <Link to="/agents/new">New agent</Link>
            </Button>
          )
        }
      />
      {agents.length === 0 ? (
        <EmptyState
          title="No agents yet."
          action={
            canWrite && (
              <Button asChild variant="secondary">
                <Link to="/agents/new">Start from a template</Link>
              </Button>
            )
          }
        >
          An agent is a prompt, a voice and a first message. Start from a template and change what you like.
        </EmptyState>
      ) : (
        <DataTable caption="Agents">
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
                <td className="font-medium">
                  <Link to={`/agents/${a.id}`}>{a.name}</Link>
                </td>
                <td>
                  <Badge>{a.model}</Badge>
                </td>
                <td className="text-muted">{a.voice}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </>
  );
}
