import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { TestCallPanel } from "~/components/test-call-panel";
import { testCallsAvailable as available, testCallSettings } from "~/utils/agent-editor.server";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { requireIdParam } from "~/utils/params.server";
import { signStreamToken } from "../../core/stream-token";
import { getAgent } from "../../db/queries/agents";
import { startTestCall, TEST_CALL_SECONDS } from "../../db/queries/test-calls";

const notFound = () => new Response("Agent not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "agent:read");
  const agent = await getAgent(db(), { id: requireIdParam(params, "agentId", notFound), tenantId });
  if (!agent) throw notFound();
  return {
    agent: { id: agent.id, name: agent.name, firstMessage: agent.firstMessage },
    // From the loader, not imported by the page: db/ modules would bring drizzle to the browser.
    ...testCallSettings(),
  };
}

/** Starts a test call: the page gets a one-time relay token bound to its own origin. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { tenantId } = await requirePermission(request, "call:place");
  const agentId = requireIdParam(params, "agentId", notFound);
  if (!(await getAgent(db(), { id: agentId, tenantId }))) throw notFound();
  const origin = request.headers.get("origin");
  if (!available())
    return data(
      { error: "Browser test calls are not configured here (STREAM_TOKEN_SECRET and RELAY_PUBLIC_URL)." },
      { status: 503 },
    );
  if (!origin)
    return data(
      { error: "Your browser did not say which page this came from; reload and try again." },
      { status: 400 },
    );
  const started = await startTestCall(db(), { tenantId, agentId, origin });
  if (!started) throw notFound();
  const token = await signStreamToken(
    env().STREAM_TOKEN_SECRET!,
    { callId: started.callId, tenantId, agentId, origin, maxSeconds: TEST_CALL_SECONDS },
    60,
  );
  return { callId: started.callId, token, relayUrl: new URL("/widget", env().RELAY_PUBLIC_URL).toString() };
}

export default function TestAgent() {
  const { agent, available, maxMinutes } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Test {agent.name} in the browser</h1>
      <p>
        <Link to={`/agents/${agent.id}`}>Back to the agent</Link>. Talk to the agent with your microphone, as a caller
        would. Test calls are listed with your calls and last at most {maxMinutes} minutes.
      </p>
      <div className="card">
        <TestCallPanel agentId={agent.id} available={available} />
      </div>
    </>
  );
}
