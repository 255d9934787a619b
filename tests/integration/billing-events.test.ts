import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startCheckout } from "../../app/billing/billing.server";
import type { SubscriptionState } from "../../core/billing/subscription-state";
import { applyStripeEvent, billingOf } from "../../db/queries/billing";
import type { StripeEvent } from "../fakes/stripe/api";
import { startBillingStack } from "../support/billing";
import { ownerQuery, seedTenant, seedUser } from "../support/seed";
import { eventually } from "../support/wait";

/**
 * Stripe delivers a subscription's events late, out of order, more than once and side by side
 * (tests/fakes/stripe/api.ts cites its pages). Whatever it does, once it owes nothing the tenant's
 * billing state is the one its newest subscription has at Stripe.
 */
let env: Awaited<ReturnType<typeof startBillingStack>>;
const ownerUrl = () => inject("ownerUrl");

beforeAll(async () => {
  env = await startBillingStack(inject("appUrl"));
  env.stripeFake.hold(true);
});
afterAll(() => env?.stop());

type Step = "fail" | "pay" | "switch" | "cancel" | "resubscribe";
const prices = { pro: ["price_pro_fee", "price_pro_usage"], payg: ["price_payg_usage"] };

/** Delivers events of this run: each pick names one (so a pick may repeat one, or one already taken), `together` at once. */
async function deliver(pool: StripeEvent[], picks: number[], together: number) {
  if (!pool.length) return;
  const chosen = picks.map((p) => pool[p % pool.length]!);
  for (let i = 0; i < chosen.length; i += together)
    await Promise.all(chosen.slice(i, i + together).map((e) => env.stripeFake.deliver(e)));
}

describe("Stripe's events in any order, duplicated, side by side", () => {
  it("leave the tenant as its newest subscription stands at Stripe", async () => {
    const picks = fc.array(fc.nat(), { maxLength: 4 });
    const scenario = fc.record({
      plan: fc.constantFrom<"pro" | "payg">("pro", "payg"),
      steps: fc.array(
        fc.record({
          step: fc.constantFrom<Step>("fail", "pay", "switch", "cancel", "resubscribe"),
          picks,
          together: fc.integer({ min: 1, max: 3 }),
        }),
        { maxLength: 5 },
      ),
      tail: fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
      together: fc.integer({ min: 1, max: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ plan, steps, tail, together }) => {
        const first = env.stripeFake.created().length;
        const ours = () => env.stripeFake.created().slice(first);
        const t = await seedTenant(ownerUrl());
        const user = await seedUser(ownerUrl(), { tenantId: t.tenantId, role: "owner" });
        const checkout = async (p: "pro" | "payg") => {
          const url = await startCheckout(env.billing, {
            tenantId: t.tenantId,
            tenantName: "Acme",
            email: user.email,
            plan: p,
          });
          return (await env.stripeFake.completeCheckout(url.split("/").pop()!)).subscription;
        };
        let sub = await checkout(plan);
        let current = plan;
        for (const { step, picks: p, together: n } of steps) {
          if (sub.status === "canceled" || step === "resubscribe") {
            if (sub.status !== "canceled")
              await env.stripeFake.changeSubscription(sub.id, "canceled", "customer.subscription.deleted");
            current = current === "pro" ? "payg" : "pro";
            sub = await checkout(current);
          } else if (step === "fail")
            await env.stripeFake.changeSubscription(sub.id, "past_due", "invoice.payment_failed", { also: true });
          else if (step === "pay")
            await env.stripeFake.changeSubscription(sub.id, "active", "invoice.paid", { also: true });
          else if (step === "cancel")
            await env.stripeFake.changeSubscription(sub.id, "canceled", "customer.subscription.deleted");
          else {
            current = current === "pro" ? "payg" : "pro";
            await env.stripeFake.changeSubscription(sub.id, sub.status, "customer.subscription.updated", {
              prices: prices[current],
            });
          }
          await deliver(ours(), p, n);
        }
        // Stripe retries until every event is taken; meanwhile it may send any of them again.
        await deliver(ours(), tail, together);
        for (let round = 0; env.stripeFake.owed().length && round < 5; round++) {
          const owed = env.stripeFake.owed();
          await deliver(
            owed,
            owed.map((_, i) => owed.length - 1 - i),
            together,
          );
        }
        expect(env.stripeFake.owed()).toEqual([]);

        const live = sub.status !== "canceled";
        expect(await billingOf(env.stack.db, t)).toMatchObject({
          plan: live ? current : "trial",
          status: sub.status,
          subscriptionId: sub.id,
          customerId: sub.customer,
          pastDueSince: sub.status === "past_due" ? expect.any(Date) : null,
        });
      }),
      {
        numRuns: 12,
        // Found by this property: both subscriptions cancelled, the newest's events taken while the
        // old one still stood, and the tenant was left on the old one.
        examples: [
          [
            {
              plan: "pro",
              steps: [
                { step: "cancel", picks: [], together: 1 },
                { step: "fail", picks: [], together: 1 },
                { step: "cancel", picks: [], together: 1 },
              ],
              tail: [0],
              together: 1,
            },
          ],
          // The old one failing, then replaced and the new one cancelled: the tenant stayed on the old, past due.
          [
            {
              plan: "pro",
              steps: [
                { step: "fail", picks: [0], together: 1 },
                { step: "resubscribe", picks: [], together: 1 },
                { step: "cancel", picks: [], together: 1 },
              ],
              tail: [0],
              together: 1,
            },
          ],
        ],
      },
    );
  }, 180_000);

  it("two deliveries side by side: the one that asked Stripe last is the one that stands", async () => {
    const t = await seedTenant(ownerUrl());
    const sub = `sub_${crypto.randomUUID().replace(/-/g, "").slice(0, 24)}`;
    const state = (status: string): SubscriptionState => ({
      subscriptionId: sub,
      customerId: `cus_${t.tenantId.slice(0, 8)}`,
      tenantId: t.tenantId,
      plan: "pro",
      status,
      periodStart: null,
      periodEnd: null,
    });
    const evt = () => ({
      eventId: `evt_${crypto.randomUUID().replace(/-/g, "")}`,
      type: "customer.subscription.updated",
      subscriptionId: sub,
    });
    // The first delivery asks Stripe, which answers slowly: "past_due", as it stood then.
    let answerFirst: (s: SubscriptionState) => void = () => {};
    let asked: () => void = () => {};
    const firstAsked = new Promise<void>((r) => (asked = r));
    const first = applyStripeEvent(env.stack.db, evt(), () => {
      asked();
      return new Promise((r) => (answerFirst = r));
    });
    await firstAsked;
    // Meanwhile the invoice is paid and its event delivered: Stripe now says "active".
    let secondDone = false;
    const second = applyStripeEvent(env.stack.db, evt(), async () => state("active")).then(() => (secondDone = true));
    const waitingOnLock = async () =>
      (
        await ownerQuery<{ n: number }>(
          ownerUrl(),
          "select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())",
        )
      )[0]!.n > 0;
    await eventually(
      async () => secondDone || (await waitingOnLock()),
      10_000,
      "the second delivery to finish or to wait its turn",
    );
    answerFirst(state("past_due"));
    await Promise.all([first, second]);
    expect(await billingOf(env.stack.db, t)).toMatchObject({ status: "active", pastDueSince: null });
  });

  it("an event the edge cannot apply (no STRIPE_SECRET_KEY) is refused with 503 and not recorded, so Stripe sends it again", async () => {
    const noKey = await startBillingStack(inject("appUrl"), { edgeHasSecretKey: false });
    try {
      const t = await seedTenant(ownerUrl());
      const user = await seedUser(ownerUrl(), { tenantId: t.tenantId, role: "owner" });
      const url = await startCheckout(noKey.billing, {
        tenantId: t.tenantId,
        tenantName: "Acme",
        email: user.email,
        plan: "pro",
      });
      const { events } = await noKey.stripeFake.completeCheckout(url.split("/").pop()!);
      expect(events.map((e) => e.status)).toEqual([503, 503]);
      // Still owed: Stripe sends them again (after the key is set, they apply). Nothing was recorded or changed.
      expect(noKey.stripeFake.owed().map((e) => e.id)).toEqual(events.map((e) => e.event.id));
      expect(
        await ownerQuery(ownerUrl(), "select id from stripe_events where id = any($1)", [
          events.map((e) => e.event.id),
        ]),
      ).toEqual([]);
      expect(await billingOf(noKey.stack.db, t)).toMatchObject({ plan: "trial", subscriptionId: null });
      // An event that needs nothing from Stripe is still taken.
      expect((await noKey.stripeFake.send("customer.created", { id: "cus_x", object: "customer" })).status).toBe(200);
    } finally {
      await noKey.stop();
    }
  });
});
