import { Form, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";

type Turn = { seq: number; speaker: string; text: string; offsetMs: number; interrupted: boolean };

/**
 * A live call's transcript and events, streamed from /calls/:id/live as they happen; when the
 * call ends the page reloads its data (analysis, cost, recording).
 */
export function LiveCall({ callId, canEnd }: { callId: string; canEnd: boolean }) {
  const [turns, setTurns] = useState<Turn[]>([]);
  const [events, setEvents] = useState<{ type: string; at: string }[]>([]);
  const [status, setStatus] = useState("connecting");
  const { revalidate } = useRevalidator();
  useEffect(() => {
    const source = new EventSource(`/calls/${callId}/live`);
    source.addEventListener("turn", (e) => {
      const t = JSON.parse((e as MessageEvent).data) as Turn;
      setTurns((all) => (all.some((x) => x.seq === t.seq) ? all : [...all, t].sort((a, b) => a.seq - b.seq)));
    });
    source.addEventListener("event", (e) => setEvents((all) => [...all, JSON.parse((e as MessageEvent).data)]));
    source.addEventListener("status", (e) => setStatus(JSON.parse((e as MessageEvent).data).status));
    source.addEventListener("ended", () => {
      source.close();
      setStatus("ended");
      revalidate();
    });
    return () => source.close();
  }, [callId, revalidate]);
  return (
    <section className="card" aria-label="Live call" data-testid="live-call" data-status={status}>
      <h2>Live {status === "ended" ? "(ended)" : ""}</h2>
      {canEnd && status !== "ended" && (
        <Form
          method="post"
          onSubmit={(e) => !confirm("End this call now? The caller is disconnected.") && e.preventDefault()}
        >
          <input type="hidden" name="intent" value="end" />
          <button type="submit" className="danger">
            End call
          </button>
        </Form>
      )}
      <ol data-testid="live-transcript">
        {turns.map((t) => (
          <li key={t.seq}>
            <strong>{t.speaker}</strong> <span className="muted">+{(t.offsetMs / 1000).toFixed(1)}s</span> {t.text}
            {t.interrupted && <em className="muted"> (interrupted)</em>}
          </li>
        ))}
      </ol>
      <ul data-testid="live-events" className="muted">
        {events.map((e) => (
          <li key={`${e.type}-${e.at}`}>{e.type}</li>
        ))}
      </ul>
    </section>
  );
}
