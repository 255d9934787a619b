import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { BillingError, billingSummary, openCustomerPortal, startCheckout } from "~/billing/billing.server";
import { billing } from "~/billing/portal.server";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, PageHeader } from "~/components/ui/card";
import { cn } from "~/components/ui/cn";
import { EmptyState } from "~/components/ui/empty-state";
import { DataTable } from "~/components/ui/table";
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
      <PageHeader
        title="Billing"
        description="Your plan, this period's usage and your invoices."
        actions={
          b.hasCustomer && (
            <Form method="post">
              <input type="hidden" name="intent" value="portal" />
              <Button type="submit" variant="secondary">
                Manage payment method, cancel, invoices (Stripe)
              </Button>
            </Form>
          )
        }
      />
      {b.sandbox && (
        <p className="banner mb-4" data-testid="billing-sandbox">
          <Badge tone="warn" className="mr-2">
            SANDBOX
          </Badge>
          No Stripe key is configured, so nothing is charged and plans cannot be bought.
        </p>
      )}
      {r?.error && (
        <p className="error" role="alert">
          {r.error}
        </p>
      )}
      {b.graceEndsAt && (
        <p className="banner mb-4 border-danger/50 bg-danger-soft text-danger" role="alert">
          The last payment failed. Update the payment method by {b.graceEndsAt}, or new calls will be refused.
        </p>
      )}
      <Card aria-label="Current plan">
        <dl className="m-0 grid gap-4 sm:grid-cols-2 lg:grid-cols-4" data-testid="billing-summary">
          <div>
            <dt>Plan</dt>
            <dd className="m-0 mt-1 text-lg font-semibold">
              {b.plan.name}
              {b.status ? ` (${b.status})` : ""}
            </dd>
          </div>
          <div>
            <dt>Period</dt>
            <dd className="m-0 mt-1">{b.period}</dd>
          </div>
          <div>
            <dt>Minutes used</dt>
            <dd className="m-0 mt-1">
              {b.usedMinutes} of {b.plan.includedMinutes} included, over {b.calls} calls
            </dd>
          </div>
          <div>
            <dt>Usage cost so far</dt>
            <dd className="m-0 mt-1 text-lg font-semibold tabular-nums" data-testid="cost-so-far">
              {b.costSoFar}
            </dd>
          </div>
          <div className="sm:col-span-2 lg:col-span-4">
            <dt>Limits</dt>
            <dd className="m-0 mt-1">
              {b.plan.limits.concurrentCalls} calls at once · {b.plan.limits.phoneNumbers} numbers ·{" "}
              {b.plan.limits.agents} agents · {b.plan.limits.seats} team members
            </dd>
          </div>
        </dl>
      </Card>
      <h2>Plans</h2>
      <div className="mb-4 grid gap-4 md:grid-cols-3">
        {b.choices.map((c) => {
          const current = b.plan.id === c.id;
          return (
            <Form
              method="post"
              key={c.id}
              className={cn(
                "flex flex-col rounded-lg border bg-surface p-5",
                current ? "border-primary ring-1 ring-primary" : "border-line",
              )}
            >
              <input type="hidden" name="intent" value="checkout" />
              <input type="hidden" name="plan" value={c.id} />
              <h3 className="m-0 flex items-center gap-2">
                {c.name} {current && <Badge tone="info">Current</Badge>}
              </h3>
              <p className="my-2 text-2xl font-semibold tabular-nums">
                {c.fee}
                <span className="text-sm font-normal text-muted"> a month</span>
              </p>
              <p className="mt-0 mb-4 text-sm text-muted">
                {c.included} minutes included, then {c.perMinute} a minute.
              </p>
              <Button type="submit" disabled={current} variant={current ? "secondary" : "primary"} className="mt-auto">
                {current ? "Current plan" : `Choose ${c.name}`}
              </Button>
            </Form>
          );
        })}
      </div>
      <h2>Invoices</h2>
      {b.invoices.length ? (
        <DataTable caption="Invoices">
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
                <td className="tabular-nums">{i.total}</td>
                <td>
                  <Badge tone={i.status === "paid" ? "ok" : i.status === "open" ? "warn" : "neutral"}>{i.status}</Badge>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      ) : (
        <EmptyState title="No invoices yet">Invoices appear here once you are on a paid plan.</EmptyState>
      )}
    </>
  );
}
