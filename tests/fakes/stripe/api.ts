import { createServer } from "node:http";
import Stripe from "stripe";

type Tier = { up_to: number | null; unit_amount_decimal: string };
/** A price as an admin would set it up in the Stripe dashboard: a flat monthly fee, or metered on a meter with graduated tiers. */
export type FakePrice = { id: string; product: string; unit_amount?: number; meter?: string; tiers?: Tier[] };
export type StripeEvent = {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  type: string;
  livemode: false;
  data: { object: Record<string, unknown> };
};
type Sub = {
  id: string;
  customer: string;
  status: string;
  metadata: Record<string, string>;
  items: { price: string }[];
  period: [number, number];
  cancel_at_period_end: boolean;
};

const rand = (prefix: string) => `${prefix}_${crypto.randomUUID().replace(/-/g, "").slice(0, 24)}`;
const nowS = () => Math.floor(Date.now() / 1000);

/** Stripe's form encoding (`a[b][0][c]=v`) back into objects and arrays. */
export function parseStripeForm(body: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, "").split("[");
    let node = out as Record<string, unknown>;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else {
        node[part] ??= /^\d+$/.test(path[i + 1]!) ? [] : {};
        node = node[part] as Record<string, unknown>;
      }
    });
  }
  return out;
}

/**
 * The Stripe API endpoints the platform uses, reached by the real `stripe` client (host/port/
 * protocol pointed here): customers, Checkout and billing-portal sessions, subscriptions, invoices
 * (list and preview), meter events and meter event summaries. Bearer auth with the secret key;
 * Stripe's error shape. Webhooks are posted signed as Stripe signs them (`Stripe-Signature`).
 */
export async function startStripeFake(opts: {
  secretKey: string;
  webhookSecret: string;
  prices: FakePrice[];
  meters: { id: string; event_name: string }[];
  port?: number;
}) {
  const customers = new Map<string, { id: string; email: string | null; metadata: Record<string, string> }>();
  const sessions = new Map<string, Record<string, unknown>>();
  const subscriptions = new Map<string, Sub>();
  const invoices: Record<string, unknown>[] = [];
  const meterEvents = new Map<string, { event_name: string; customer: string; value: number; timestamp: number }>();
  const prices = new Map(opts.prices.map((p) => [p.id, p]));
  let webhookUrl: string | null = null;
  const stripe = new Stripe("sk_unused");
  let holding = false;
  const owed = new Map<string, StripeEvent>();
  const created: StripeEvent[] = [];

  /**
   * One delivery attempt. Stripe signs every attempt with a fresh timestamp and retries any event
   * not answered with a 2xx, for up to three days (https://docs.stripe.com/webhooks#automatic-retries):
   * such an event stays owed. It may deliver an event more than once
   * (https://docs.stripe.com/webhooks#handle-duplicate-events) and in any order
   * (https://docs.stripe.com/webhooks#event-ordering).
   */
  const post = async (event: StripeEvent, o: { secret?: string; signedAt?: number } = {}) => {
    const payload = JSON.stringify(event);
    const header = stripe.webhooks.generateTestHeaderString({
      payload,
      secret: o.secret ?? opts.webhookSecret,
      ...(o.signedAt ? { timestamp: o.signedAt } : {}),
    });
    const res = await fetch(webhookUrl!, {
      method: "POST",
      headers: { "stripe-signature": header, "content-type": "application/json" },
      body: payload,
    });
    await res.body?.cancel();
    if (owed.has(event.id) && res.ok) owed.delete(event.id);
    return res.status;
  };
  /** An event Stripe creates for a change: owed to the endpoint until it answers 2xx; posted at once unless held. */
  const emit = async (type: string, object: Record<string, unknown>) => {
    const event: StripeEvent = {
      id: rand("evt"),
      object: "event",
      api_version: "2026-10-28.endive",
      created: nowS(),
      type,
      livemode: false,
      data: { object },
    };
    owed.set(event.id, event);
    created.push(event);
    return { status: holding ? null : await post(event), event };
  };

  const subscriptionJson = (s: Sub) => ({
    id: s.id,
    object: "subscription",
    customer: s.customer,
    status: s.status,
    metadata: s.metadata,
    cancel_at_period_end: s.cancel_at_period_end,
    items: {
      object: "list",
      data: s.items.map((i) => ({
        id: `si_${s.id.slice(4)}_${i.price}`,
        object: "subscription_item",
        price: { id: i.price, object: "price", product: prices.get(i.price)?.product },
        current_period_start: s.period[0],
        current_period_end: s.period[1],
      })),
    },
  });
  /** The meter's total for a customer between two instants (seconds, end exclusive), as Stripe aggregates (sum). */
  const meterTotal = (meter: string, customer: string, from: number, to: number) => {
    const name = opts.meters.find((m) => m.id === meter)?.event_name;
    let total = 0;
    for (const e of meterEvents.values())
      if (e.event_name === name && e.customer === customer && e.timestamp >= from && e.timestamp < to) total += e.value;
    return total;
  };
  /** A graduated price's amount in cents (decimal), tier by tier, as Stripe computes a line. */
  const graduated = (tiers: Tier[], quantity: number) => {
    let left = quantity;
    let from = 0;
    let cents = 0;
    for (const t of tiers) {
      const upTo = t.up_to ?? Number.POSITIVE_INFINITY;
      const n = Math.max(0, Math.min(left, upTo - from));
      cents += n * Number(t.unit_amount_decimal);
      left -= n;
      from = upTo;
    }
    return cents;
  };
  const preview = (s: Sub) => {
    const lines = s.items.map((i) => {
      const p = prices.get(i.price)!;
      const quantity = p.meter ? meterTotal(p.meter, s.customer, s.period[0], s.period[1]) : 1;
      // Stripe rounds each line to a whole cent.
      const amount = Math.round(p.meter ? graduated(p.tiers ?? [], quantity) : (p.unit_amount ?? 0));
      return { object: "line_item", amount, quantity, pricing: { price_details: { price: p.id } } };
    });
    const total = lines.reduce((a, l) => a + l.amount, 0);
    return {
      object: "invoice",
      customer: s.customer,
      currency: "usd",
      lines: { object: "list", data: lines },
      subtotal: total,
      total,
      amount_due: total,
      period_start: s.period[0],
      period_end: s.period[1],
    };
  };

  const server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) =>
      res
        .writeHead(status, { "content-type": "application/json", "request-id": rand("req") })
        .end(JSON.stringify(body));
    const fail = (status: number, type: string, message: string, param?: string) =>
      send(status, { error: { type, message, ...(param ? { param } : {}) } });
    if (req.headers.authorization !== `Bearer ${opts.secretKey}`)
      return fail(401, "invalid_request_error", "Invalid API Key provided.");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://stripe");
    const body =
      req.method === "GET" ? parseStripeForm(url.search.slice(1)) : parseStripeForm(Buffer.concat(chunks).toString());
    const p = url.pathname;

    if (p === "/v1/customers" && req.method === "POST") {
      const c = {
        id: rand("cus"),
        email: (body.email as string) ?? null,
        metadata: (body.metadata as Record<string, string>) ?? {},
      };
      customers.set(c.id, c);
      return send(200, { object: "customer", ...c });
    }
    if (p === "/v1/checkout/sessions" && req.method === "POST") {
      const items = (body.line_items as { price: string }[] | undefined) ?? [];
      const unknown = items.find((i) => !prices.has(i.price));
      if (unknown)
        return fail(400, "invalid_request_error", `No such price: '${unknown.price}'`, "line_items[0][price]");
      if (!customers.has(body.customer as string))
        return fail(400, "invalid_request_error", `No such customer: '${body.customer}'`, "customer");
      const id = rand("cs_test");
      const s = {
        id,
        object: "checkout.session",
        mode: body.mode,
        customer: body.customer,
        client_reference_id: body.client_reference_id ?? null,
        line_items: items,
        subscription_data: body.subscription_data ?? {},
        success_url: body.success_url,
        cancel_url: body.cancel_url,
        status: "open",
        subscription: null,
        url: `https://checkout.stripe.test/c/pay/${id}`,
      };
      sessions.set(id, s);
      return send(200, s);
    }
    if (p === "/v1/billing_portal/sessions" && req.method === "POST") {
      if (!customers.has(body.customer as string))
        return fail(400, "invalid_request_error", `No such customer: '${body.customer}'`, "customer");
      const id = rand("bps");
      return send(200, {
        id,
        object: "billing_portal.session",
        customer: body.customer,
        return_url: body.return_url,
        url: `https://billing.stripe.test/p/session/${id}`,
      });
    }
    // Newest first (https://docs.stripe.com/api/subscriptions/list: "sorted by creation date, with
    // the most recently created subscriptions appearing first"); without `status`, canceled ones are left out.
    if (p === "/v1/subscriptions" && req.method === "GET") {
      const status = (body.status as string | undefined) ?? "active";
      const limit = Math.min(100, Number(body.limit ?? 10));
      const mine = [...subscriptions.values()].filter(
        (x) =>
          x.customer === body.customer &&
          (status === "all" || (status === "active" ? x.status !== "canceled" : x.status === status)),
      );
      const data = mine.reverse().slice(0, limit).map(subscriptionJson);
      return send(200, { object: "list", data, has_more: mine.length > limit, url: "/v1/subscriptions" });
    }
    const sub = /^\/v1\/subscriptions\/(sub_\w+)$/.exec(p);
    if (sub && req.method === "GET") {
      const s = subscriptions.get(sub[1]!);
      return s
        ? send(200, subscriptionJson(s))
        : fail(404, "invalid_request_error", `No such subscription: '${sub[1]}'`);
    }
    if (p === "/v1/invoices" && req.method === "GET") {
      const mine = invoices.filter((i) => i.customer === body.customer);
      return send(200, { object: "list", data: mine, has_more: false, url: "/v1/invoices" });
    }
    if (p === "/v1/invoices/create_preview" && req.method === "POST") {
      const s = subscriptions.get(body.subscription as string);
      return s
        ? send(200, preview(s))
        : fail(400, "invalid_request_error", "No upcoming invoices for customer", "subscription");
    }
    if (p === "/v1/billing/meter_events" && req.method === "POST") {
      const payload = (body.payload as Record<string, string>) ?? {};
      const value = Number(payload.value);
      if (!opts.meters.some((m) => m.event_name === body.event_name))
        return fail(
          400,
          "invalid_request_error",
          `No active meter found for event_name '${body.event_name}'`,
          "event_name",
        );
      if (!customers.has(payload.stripe_customer_id ?? ""))
        return fail(400, "invalid_request_error", "No customer found for the payload's stripe_customer_id", "payload");
      if (!Number.isFinite(value))
        return fail(400, "invalid_request_error", "The payload's value must be a number", "payload");
      const identifier = (body.identifier as string) ?? rand("mev");
      // The identifier is the idempotency key: the same event again is accepted once, not counted twice.
      if (!meterEvents.has(identifier))
        meterEvents.set(identifier, {
          event_name: body.event_name as string,
          customer: payload.stripe_customer_id!,
          value,
          timestamp: Number(body.timestamp ?? nowS()),
        });
      const e = meterEvents.get(identifier)!;
      return send(200, {
        object: "billing.meter_event",
        created: nowS(),
        event_name: e.event_name,
        identifier,
        livemode: false,
        payload,
        timestamp: e.timestamp,
      });
    }
    const summaries = /^\/v1\/billing\/meters\/(mtr_\w+)\/event_summaries$/.exec(p);
    if (summaries && req.method === "GET") {
      const [from, to] = [Number(body.start_time), Number(body.end_time)];
      const total = meterTotal(summaries[1]!, body.customer as string, from, to);
      return send(200, {
        object: "list",
        data: [
          {
            id: rand("mtrusg"),
            object: "billing.meter_event_summary",
            aggregated_value: total,
            start_time: from,
            end_time: to,
            meter: summaries[1],
            livemode: false,
          },
        ],
        has_more: false,
        url: p,
      });
    }
    return fail(404, "invalid_request_error", `Unrecognized request URL (${req.method}: ${p}).`);
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;

  const fake = {
    port,
    /** What the `stripe` client is given to reach this fake. */
    clientOptions: { host: "127.0.0.1", port, protocol: "http" as const },
    customers,
    subscriptions,
    meterEvents,
    invoices,
    setWebhookUrl(url: string) {
      webhookUrl = url;
    },
    /** Posts an event as Stripe does: JSON body, `Stripe-Signature` with the endpoint's secret. Returns the HTTP status. */
    async send(
      type: string,
      object: Record<string, unknown>,
      opts2: { id?: string; created?: number; secret?: string; signedAt?: number } = {},
    ) {
      const event: StripeEvent = {
        id: opts2.id ?? rand("evt"),
        object: "event",
        api_version: "2026-10-28.endive",
        created: opts2.created ?? nowS(),
        type,
        livemode: false,
        data: { object },
      };
      return { status: await post(event, opts2), event };
    },
    /**
     * While held, the events Stripe creates are kept, not posted: a test then delivers them in any
     * order, any number of times, even at once (`deliver`), as Stripe may; see `owed`.
     */
    hold(on: boolean) {
      holding = on;
    },
    /** The events Stripe still owes the endpoint: created and not yet answered with a 2xx (it retries those). */
    owed: () => [...owed.values()],
    /** Every event Stripe created, in order: any may be delivered again, even once taken. */
    created: () => [...created],
    /** One delivery attempt of an event Stripe created: the same id and payload each time, signed afresh. */
    async deliver(event: StripeEvent) {
      return post(event);
    },
    /** The customer pays on the Checkout page: the subscription starts, and Stripe sends its events. */
    async completeCheckout(sessionId: string) {
      const s = sessions.get(sessionId)!;
      const start = nowS();
      const metadata = ((s.subscription_data as { metadata?: Record<string, string> }).metadata ?? {}) as Record<
        string,
        string
      >;
      const created: Sub = {
        id: rand("sub"),
        customer: s.customer as string,
        status: "active",
        metadata,
        items: (s.line_items as { price: string }[]).map((i) => ({ price: i.price })),
        period: [start - 60, start + 30 * 86_400],
        cancel_at_period_end: false,
      };
      subscriptions.set(created.id, created);
      Object.assign(s, { status: "complete", subscription: created.id });
      const completed = await emit("checkout.session.completed", s);
      const subEvent = await emit("customer.subscription.created", subscriptionJson(created));
      return { subscription: created, events: [completed, subEvent] };
    },
    /**
     * The subscription moves on (a failed renewal, a recovery, a cancellation), with the event Stripe
     * sends for it; `also` adds the subscription's own `customer.subscription.updated`, which Stripe
     * sends beside an invoice event when the status changes
     * (https://docs.stripe.com/billing/subscriptions/webhooks#events).
     */
    async changeSubscription(
      id: string,
      status: string,
      eventType = "customer.subscription.updated",
      opts2: { prices?: string[]; also?: boolean } = {},
    ) {
      const s = subscriptions.get(id)!;
      s.status = status;
      if (opts2.prices) s.items = opts2.prices.map((price) => ({ price }));
      if (!eventType.startsWith("invoice.")) return emit(eventType, subscriptionJson(s));
      // Invoice events carry the invoice, which names its subscription under `parent`.
      const invoice = {
        id: rand("in"),
        object: "invoice",
        customer: s.customer,
        status: eventType === "invoice.paid" ? "paid" : "open",
        parent: { type: "subscription_details", subscription_details: { subscription: s.id } },
      };
      invoices.push(invoice);
      const sent = await emit(eventType, invoice);
      if (opts2.also) await emit("customer.subscription.updated", subscriptionJson(s));
      return sent;
    },
    subscriptionJson,
    preview,
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  return fake;
}
