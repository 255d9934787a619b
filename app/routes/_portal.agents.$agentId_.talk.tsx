import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { requireIdParam } from "~/utils/params.server";
import { signStreamToken } from "../../core/stream-token";
import { getAgent } from "../../db/queries/agents";
import { startTestCall, TEST_CALL_SECONDS } from "../../db/queries/test-calls";
import { MAX_TYPED_CHARS } from "../../voice/typed-turns";

const notFound = () => new Response("Agent not found", { status: 404 });
const available = () => Boolean(env().STREAM_TOKEN_SECRET && env().RELAY_PUBLIC_URL);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "agent:read");
  const agent = await getAgent(db(), { id: requireIdParam(params, "agentId", notFound), tenantId });
  if (!agent) throw notFound();
  return {
    agent: { id: agent.id, name: agent.name, firstMessage: agent.firstMessage },
    available: available(),
    // From the loader, not imported by the page: db/ modules would bring drizzle to the browser.
    maxMinutes: TEST_CALL_SECONDS / 60,
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

type Call = Awaited<ReturnType<typeof import("../../widget/web-call").startWebCall>>;

export default function TestAgent() {
  const { agent, available, maxMinutes } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const [state, setState] = useState("idle");
  const [typing, setTyping] = useState(false);
  const call = useRef<Call | null>(null);
  const started = fetcher.data && "token" in fetcher.data ? fetcher.data : null;

  useEffect(() => {
    if (!started) return;
    let cancelled = false;
    (async () => {
      try {
        const mic = await navigator.mediaDevices.getUserMedia({
          audio: { echoCancellation: true, noiseSuppression: true },
        });
        const { startWebCall } = await import("../../widget/web-call");
        if (cancelled) return;
        call.current = await startWebCall(started.relayUrl, started.token, mic, {
          state: setState,
          ended: () => setState("ended"),
          lost: () => setState("lost"),
          heard: () => {},
          typed: () => setTyping(true),
        });
      } catch (err) {
        setState((err as Error).name === "NotAllowedError" ? "denied" : "failed");
      }
    })();
    return () => {
      cancelled = true;
      call.current?.hangUp();
    };
  }, [started]);

  return (
    <>
      <h1>Test {agent.name} in the browser</h1>
      <p>
        <Link to={`/agents/${agent.id}`}>Back to the agent</Link>. Talk to the agent with your microphone, as a caller
        would. Test calls are listed with your calls and last at most {maxMinutes} minutes.
      </p>
      {!available && <p className="banner">Browser test calls are not configured on this server.</p>}
      <div className="card" data-testid="test-call" data-state={state}>
        {state === "idle" && (
          <fetcher.Form method="post">
            <button type="submit" disabled={!available || fetcher.state !== "idle"}>
              Start test call
            </button>
          </fetcher.Form>
        )}
        {fetcher.data && "error" in fetcher.data && (
          <p className="error" role="alert">
            {fetcher.data.error}
          </p>
        )}
        {state !== "idle" && <p role="status">{statusText[state] ?? state}</p>}
        {started && state !== "ended" && state !== "idle" && (
          <button type="button" onClick={() => call.current?.hangUp()}>
            Hang up
          </button>
        )}
        {typing && state !== "ended" && state !== "lost" && <TypedTurn say={(text) => call.current?.say(text)} />}
        {started && (
          <p>
            <Link to={`/calls/${started.callId}`}>Follow this call live</Link>
          </p>
        )}
      </div>
    </>
  );
}

/** With no recogniser key the SANDBOX hears nothing: the tester types what a caller would say. */
function TypedTurn({ say }: { say(text: string): void }) {
  const [text, setText] = useState("");
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!text.trim()) return;
        say(text.trim());
        setText("");
      }}
    >
      <p>No speech recogniser key is set, so this SANDBOX call cannot hear you: type what a caller would say.</p>
      <label>
        Say as the caller
        <input value={text} onChange={(e) => setText(e.target.value)} maxLength={MAX_TYPED_CHARS} autoComplete="off" />
      </label>
      <button type="submit">Say it</button>
    </form>
  );
}

const statusText: Record<string, string> = {
  connecting: "Connecting…",
  listening: "Listening: speak now.",
  speaking: "The agent is speaking.",
  muted: "Muted.",
  ended: "Call ended.",
  lost: "The connection was lost.",
  denied: "Microphone access was denied: allow it in your browser's site settings and reload.",
  failed: "The call could not start.",
};
