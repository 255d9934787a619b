import { Link } from "@remix-run/react";
import type { OnboardingStep } from "../../db/queries/onboarding";

/** The new team's checklist, shown until every step is done; each step is checked from what exists. */
export function GettingStarted({
  done,
  firstAgentId,
}: {
  done: Record<OnboardingStep, boolean>;
  firstAgentId?: string;
}) {
  const steps: { key: OnboardingStep; text: string; to: string }[] = [
    { key: "agent", text: "Create an agent (start from a template)", to: "/agents/new" },
    {
      key: "browserTest",
      text: "Test it in the browser",
      to: firstAgentId ? `/agents/${firstAgentId}/talk` : "/agents/new",
    },
    { key: "number", text: "Get a phone number", to: "/numbers" },
    { key: "payment", text: "Add a payment method", to: "/settings/billing" },
  ];
  const count = steps.filter((s) => done[s.key]).length;
  return (
    <section className="card" aria-label="Getting started">
      <h2>
        Getting started: {count} of {steps.length} done
      </h2>
      <ol className="checklist">
        {steps.map((s) => (
          <li key={s.key} data-done={done[s.key] ? "yes" : "no"}>
            {done[s.key] ? "✓ " : "○ "}
            {done[s.key] ? s.text : <Link to={s.to}>{s.text}</Link>}
          </li>
        ))}
      </ol>
    </section>
  );
}
