import { Link, useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { action } from "~/routes/_portal.agents.$agentId_.talk";
import { MAX_TYPED_CHARS } from "../../voice/typed-turns";
import { Button } from "./ui/button";
import { Field, Input } from "./ui/field";

type Call = Awaited<ReturnType<typeof import("../../widget/web-call").startWebCall>>;

/**
 * The microphone, or with none (or no permission) a silent one from the page itself: the call still
 * runs, the agent is heard, and on a SANDBOX call the tester types instead (docs/decisions/0050).
 */
async function microphone() {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: true, noiseSuppression: true },
    });
    const close = () => {
      for (const track of stream.getTracks()) track.stop();
    };
    return { stream, silent: false, close };
  } catch {
    const ctx = new AudioContext();
    return { stream: ctx.createMediaStreamDestination().stream, silent: true, close: () => void ctx.close() };
  }
}

const over = new Set(["ended", "lost", "failed"]);

/** A browser test call to an agent, talked or typed; used by the talk page and beside the editor. */
export function TestCallPanel({ agentId, available }: { agentId: string; available: boolean }) {
  const fetcher = useFetcher<typeof action>();
  const [state, setState] = useState("idle");
  const [typing, setTyping] = useState(false);
  const [noMic, setNoMic] = useState(false);
  const [said, setSaid] = useState<string[]>([]);
  const call = useRef<Call | null>(null);
  const started = fetcher.data && "token" in fetcher.data ? fetcher.data : null;

  useEffect(() => {
    if (!started) return;
    let cancelled = false;
    let close = () => {};
    setState("connecting");
    setSaid([]);
    (async () => {
      try {
        const mic = await microphone();
        close = mic.close;
        setNoMic(mic.silent);
        const { startWebCall } = await import("../../widget/web-call");
        if (cancelled) return;
        call.current = await startWebCall(started.relayUrl, started.token, mic.stream, {
          state: setState,
          ended: () => {
            call.current = null;
            setState("ended");
          },
          lost: () => {
            call.current = null;
            setState("lost");
          },
          heard: () => {},
          typed: () => setTyping(true),
        });
      } catch {
        setState("failed");
      }
    })();
    return () => {
      cancelled = true;
      call.current?.hangUp();
      call.current = null;
      close();
    };
  }, [started]);

  const live = started && state !== "idle" && !over.has(state);
  return (
    <div data-testid="test-call" data-state={state}>
      {!available && <p className="banner">Browser test calls are not configured on this server.</p>}
      {!live && (
        <fetcher.Form method="post" action={`/agents/${agentId}/talk`}>
          <Button type="submit" disabled={!available || fetcher.state !== "idle"}>
            {over.has(state) ? "Start another test call" : "Start test call"}
          </Button>
        </fetcher.Form>
      )}
      {fetcher.data && "error" in fetcher.data && (
        <p className="error" role="alert">
          {fetcher.data.error}
        </p>
      )}
      {state !== "idle" && <p role="status">{statusText[state] ?? state}</p>}
      {noMic && live && <p className="muted">No microphone (or no permission to use it): the agent cannot hear you.</p>}
      {live && (
        <Button variant="secondary" onClick={() => call.current?.hangUp()}>
          Hang up
        </Button>
      )}
      {typing && live && (
        <TypedTurn
          say={(text) => {
            call.current?.say(text);
            setSaid((all) => [...all, text]);
          }}
        />
      )}
      {said.length > 0 && (
        <ol aria-label="What you typed" className="mt-3 text-sm">
          {said.map((s, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines are only appended
            <li key={i}>You: {s}</li>
          ))}
        </ol>
      )}
      {started && (
        <p>
          <Link to={`/calls/${started.callId}`}>Follow this call live</Link>
        </p>
      )}
    </div>
  );
}

/** With no recogniser key the SANDBOX hears nothing: the tester types what a caller would say. */
function TypedTurn({ say }: { say(text: string): void }) {
  const [text, setText] = useState("");
  return (
    <form
      className="mt-3"
      onSubmit={(e) => {
        e.preventDefault();
        if (!text.trim()) return;
        say(text.trim());
        setText("");
      }}
    >
      <p className="muted">
        No speech recogniser key is set, so this SANDBOX call cannot hear you: type what a caller would say.
      </p>
      <Field label="Say as the caller">
        {(p) => (
          <Input
            {...p}
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={MAX_TYPED_CHARS}
            autoComplete="off"
          />
        )}
      </Field>
      <Button type="submit" variant="secondary" className="mt-2">
        Say it
      </Button>
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
  failed: "The call could not start.",
};
