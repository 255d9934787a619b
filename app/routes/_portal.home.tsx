import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CallsTable } from "~/components/calls-table";
import { GettingStarted } from "~/components/getting-started";
import { Button } from "~/components/ui/button";
import { Card, PageHeader } from "~/components/ui/card";
import { cn } from "~/components/ui/cn";
import { requirePermission } from "~/utils/auth.server";
import { db } from "~/utils/db.server";
import { pii } from "~/utils/pii.server";
import { type HomeData, homeData } from "./_portal.home.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "call:read");
  return homeData(db(), pii(), tenantId);
}

function Stat({ label, value, testId }: { label: string; value: React.ReactNode; testId: string }) {
  return (
    <div className="rounded-md border border-line bg-canvas p-3">
      <dt className="text-xs font-medium tracking-wide text-muted uppercase">{label}</dt>
      <dd className="m-0 mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

function Figures({ title, f, id }: { title: string; f: HomeData["today"]; id: string }) {
  return (
    <Card aria-labelledby={id} data-testid={id}>
      <h2 id={id} className="mt-0 mb-3">
        {title}
      </h2>
      <dl className="m-0 grid grid-cols-2 gap-3 sm:grid-cols-4">
        {f.placed != null && <Stat label="Calls placed" value={f.placed} testId="figure-calls-placed" />}
        <Stat label="Calls billed" value={f.billedCalls} testId="figure-calls" />
        <Stat label="Minutes" value={f.minutes} testId="figure-minutes" />
        <Stat label="Cost" value={f.cost} testId="figure-cost" />
        <div className="col-span-2 rounded-md border border-line bg-canvas p-3">
          <dt className="text-xs font-medium tracking-wide text-muted uppercase">Success rate</dt>
          <dd className="m-0 mt-1 font-semibold" data-testid="figure-success">
            {f.successRate ? `${f.successRate} of ${f.judged} judged by the rubric` : "No call judged yet"}
          </dd>
        </div>
        <div className="col-span-2 rounded-md border border-line bg-canvas p-3">
          <dt className="text-xs font-medium tracking-wide text-muted uppercase">Time to first answer (median)</dt>
          <dd className="m-0 mt-1 font-semibold" data-testid="figure-first-answer">
            {f.p50FirstAnswer ?? "No answer yet"}
          </dd>
        </div>
      </dl>
      {f.sampleCapped && (
        <p className="mb-0 text-sm text-muted">Success rate and time to first answer: the newest 1,000 calls.</p>
      )}
    </Card>
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
    <Card aria-labelledby="attention" data-testid="attention" className={cn(items.length > 0 && "border-warn/50")}>
      <h2 id="attention" className="mt-0">
        Needs attention
      </h2>
      {items.length ? (
        <ul className="mb-0 space-y-1">{items}</ul>
      ) : (
        <p className="mb-0 text-muted">Nothing needs attention.</p>
      )}
    </Card>
  );
}

export default function Home() {
  const h = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="Home"
        description={
          <span data-testid="live-now">
            Live calls now: <strong className="text-fg">{h.liveNow}</strong>{" "}
            <Link to="/calls/live">Open the live view</Link>
          </span>
        }
        actions={
          <Button asChild variant="secondary">
            <Link to="/agents/new">New agent</Link>
          </Button>
        }
      />
      {h.onboarding && <GettingStarted done={h.onboarding} firstAgentId={h.firstAgentId ?? undefined} />}
      <div className="grid gap-4 xl:grid-cols-2">
        <Figures title="Today (UTC)" f={h.today} id="figures-today" />
        <Figures title={`This billing period (since ${h.periodStart})`} f={h.period} id="figures-period" />
      </div>
      <Attention a={h.attention} />
      <section aria-labelledby="recent">
        <h2 id="recent">Recent calls</h2>
        {h.recent.length === 0 ? (
          <p
            className="rounded-lg border border-dashed border-line-strong bg-surface p-6 text-center text-muted"
            data-testid="home-no-calls"
          >
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
