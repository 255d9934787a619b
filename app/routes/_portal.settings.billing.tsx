import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BillingError, billingSummary, openCustomerPortal, startCheckout } from "~/billing/billing.server";
import { billing } from "~/billing/portal.server";
import { requirePermission } from "~/utils/auth.server";
import { readForm } from "~/utils/form-body.server";
import { plans } from "../../core/billing/plans";
import { formatMicros } from "../../core/money";

const schema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("checkout"), plan: z.enum(["payg", "pro"]) }),
  z.object({ intent: z.literal("portal") }),
]);
const minutes = (seconds: bigint) => (Number(seconds) / 60).toFixed(1);

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenantId } = await requirePermission(request, "billing:manage");
  const s = await billingSummary(billing(), { tenantId });
  if (!s) throw new Response("Not found", { status: 404 });
  return {
    sandbox: s.sandbox,
    plan: {
      id: s.plan.id,
      name: s.plan.name,
      fee: formatMicros(s.plan.monthlyFeeMicros),
      includedMinutes: minutes(s.plan.includedSeconds),
      limits: s.plan.limits,
    },
    status: s.status,
    period:
      s.periodStart && s.periodEnd
        ? `${s.periodStart.toISOString().slice(0, 10)} to ${s.periodEnd.toISOString().slice(0, 10)}`
        : "this calendar month",
    usedMinutes: minutes(s.usage.seconds),
    calls: s.usage.calls,
    costSoFar: formatMicros(s.usage.micros),
    graceEndsAt: s.graceEndsAt?.toISOString().slice(0, 10) ?? null,
    hasCustomer: Boolean(s.customerId),
    invoices: s.invoices.map((i) => ({
      id: i.id,
      number: i.number ?? i.id,
      total: formatMicros(BigInt(i.total ?? 0) * 10_000n, i.currency ?? "usd"),
      status: i.status,
      url: i.hosted_invoice_url ?? null,
    })),
    choices: (["payg", "pro"] as const).map((id) => ({
      id,
      name: plans[id].name,
      fee: formatMicros(plans[id].monthlyFeeMicros),
      perMinute: formatMicros(plans[id].overageMicrosPerSecond * 60n),
      included: minutes(plans[id].includedSeconds),
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenantId, tenantName, user } = await requirePermission(request, "billing:manage");
  const parsed = schema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return data({ error: "Choose a plan." }, { status: 400 });
  try {
    const url =
      parsed.data.intent === "checkout"
        ? await startCheckout(billing(), { tenantId, tenantName, email: user.email, plan: parsed.data.plan })
        : await openCustomerPortal(billing(), { tenantId });
    return redirect(url);
  } catch (err) {
    if (err instanceof BillingError) return data({ error: err.message }, { status: 400 });
    throw err;
  }
}

export default function BillingPage() {
  const b = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  return (
    <>
      <h1>Billing</h1>
      {b.sandbox && (
        <p className="muted" data-testid="billing-sandbox">
          SANDBOX: no Stripe key is configured, so nothing is charged and plans cannot be bought.
        </p>
      )}
      {r?.error && (
        <p className="error" role="alert">
          {r.error}
        </p>
      )}
      <dl className="card" data-testid="billing-summary">
        <dt>Plan</dt>
        <dd>
          {b.plan.name}
          {b.status ? ` (${b.status})` : ""}
        </dd>
        <dt>Period</dt>
        <dd>{b.period}</dd>
        <dt>Minutes used</dt>
        <dd>
          {b.usedMinutes} of {b.plan.includedMinutes} included, over {b.calls} calls
        </dd>
        <dt>Usage cost so far</dt>
        <dd data-testid="cost-so-far">{b.costSoFar}</dd>
        <dt>Limits</dt>
        <dd>
          {b.plan.limits.concurrentCalls} calls at once · {b.plan.limits.phoneNumbers} numbers · {b.plan.limits.agents}{" "}
          agents · {b.plan.limits.seats} team members
        </dd>
      </dl>
      {b.graceEndsAt && (
        <p className="error" role="alert">
          The last payment failed. Update the payment method by {b.graceEndsAt}, or new calls will be refused.
        </p>
      )}
      <h2>Plans</h2>
      <div className="card">
        {b.choices.map((c) => (
          <Form method="post" key={c.id}>
            <input type="hidden" name="intent" value="checkout" />
            <input type="hidden" name="plan" value={c.id} />
            <p>
              <strong>{c.name}</strong>: {c.fee} a month, {c.included} minutes included, then {c.perMinute} a minute.
            </p>
            <button type="submit" disabled={b.plan.id === c.id}>
              {b.plan.id === c.id ? "Current plan" : `Choose ${c.name}`}
            </button>
          </Form>
        ))}
      </div>
      {b.hasCustomer && (
        <Form method="post">
          <input type="hidden" name="intent" value="portal" />
          <button type="submit">Manage payment method, cancel, invoices (Stripe)</button>
        </Form>
      )}
      <h2>Invoices</h2>
      {b.invoices.length ? (
        <table className="card">
          <thead>
            <tr>
              <th>Invoice</th>
              <th>Total</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {b.invoices.map((i) => (
              <tr key={i.id}>
                <td>{i.url ? <a href={i.url}>{i.number}</a> : i.number}</td>
                <td>{i.total}</td>
                <td>{i.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No invoices yet.</p>
      )}
    </>
  );
}
