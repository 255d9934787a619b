import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CallsTable } from "~/components/calls-table";
import { GettingStarted } from "~/components/getting-started";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { pii } from "~/utils/pii.server";
import { type HomeData, homeData } from "./_portal.home.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "call:read");
  return homeData(db(), pii(), tenantId);
}

function Figures({ title, f, id }: { title: string; f: HomeData["today"]; id: string }) {
  return (
    <section className="card" aria-labelledby={id} data-testid={id}>
      <h2 id={id}>{title}</h2>
      <dl>
        {f.placed != null && (
          <>
            <dt>Calls placed</dt>
            <dd data-testid="figure-calls-placed">{f.placed}</dd>
          </>
        )}
        <dt>Calls billed</dt>
        <dd data-testid="figure-calls">{f.billedCalls}</dd>
        <dt>Minutes</dt>
        <dd data-testid="figure-minutes">{f.minutes}</dd>
        <dt>Cost</dt>
        <dd data-testid="figure-cost">{f.cost}</dd>
        <dt>Success rate</dt>
        <dd data-testid="figure-success">
          {f.successRate ? `${f.successRate} of ${f.judged} judged by the rubric` : "No call judged yet"}
        </dd>
        <dt>Time to first answer (median)</dt>
        <dd data-testid="figure-first-answer">{f.p50FirstAnswer ?? "No answer yet"}</dd>
      </dl>
      {f.sampleCapped && <p className="muted">Success rate and time to first answer: the newest 1,000 calls.</p>}
    </section>
  );
}

function Attention({ a }: { a: HomeData["attention"] }) {
  const items = [
    a.paymentFailing && (
      <li key="payment">
        {a.paymentFailing.refusing ? "New calls are refused: the last payment failed." : "The last payment failed."}{" "}
        <Link to="/settings/billing">Update the payment method</Link>
      </li>
    ),
    ...a.driftedNumbers.map((n) => (
      <li key={n.id}>
        {n.e164}: its Twilio configuration changed ({n.drift}). <Link to={`/numbers/${n.id}`}>Check the number</Link>
      </li>
    )),
    ...a.failingEndpoints.map((e) => (
      <li key={e.id}>
        {e.disabledReason
          ? `A webhook endpoint was turned off: ${e.disabledReason}`
          : "Deliveries to a webhook endpoint are failing."}{" "}
        <Link to={`/settings/webhooks/${e.id}`}>Open the endpoint</Link>
      </li>
    )),
    a.trialMinutesLeft != null && (
      <li key="trial">
        Free trial: {a.trialMinutesLeft} of {a.trialMinutesIncluded} minutes left this month.{" "}
        <Link to="/settings/billing">Choose a plan</Link>
      </li>
    ),
  ].filter(Boolean);
  return (
    <section aria-labelledby="attention" data-testid="attention">
      <h2 id="attention">Needs attention</h2>
      {items.length ? <ul>{items}</ul> : <p className="muted">Nothing needs attention.</p>}
    </section>
  );
}

export default function Home() {
  const h = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Home</h1>
      {h.onboarding && <GettingStarted done={h.onboarding} firstAgentId={h.firstAgentId ?? undefined} />}
      <p data-testid="live-now">
        Live calls now: <strong>{h.liveNow}</strong> <Link to="/calls/live">Open the live view</Link>
      </p>
      <Figures title="Today (UTC)" f={h.today} id="figures-today" />
      <Figures title={`This billing period (since ${h.periodStart})`} f={h.period} id="figures-period" />
      <Attention a={h.attention} />
      <section aria-labelledby="recent">
        <h2 id="recent">Recent calls</h2>
        {h.recent.length === 0 ? (
          <p className="muted" data-testid="home-no-calls">
            No calls yet.{" "}
            {h.firstAgentId ? (
              <Link to={`/agents/${h.firstAgentId}/talk`}>Place a test call from your browser</Link>
            ) : (
              <>
                <Link to="/agents/new">Create an agent</Link>, then place a test call from your browser.
              </>
            )}
          </p>
        ) : (
          <CallsTable calls={h.recent} caption="Recent calls" />
        )}
        <p>
          <Link to="/calls">See every call</Link> · <Link to="/usage">Figures by day</Link>
        </p>
      </section>
    </>
  );
}
