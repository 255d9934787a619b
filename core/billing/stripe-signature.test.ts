import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { verifyStripeEvent } from "./stripe-signature";

const secret = "whsec_test_0123456789abcdef";
const body = JSON.stringify({ id: "evt_1", object: "event", type: "customer.subscription.updated" });
const sdk = new Stripe("sk_test_x");
const cryptoProvider = Stripe.createSubtleCryptoProvider();
const now = Date.now();
const signed = (opts: { payload?: string; secret?: string; timestamp?: number } = {}) =>
  sdk.webhooks.generateTestHeaderStringAsync({
    payload: opts.payload ?? body,
    secret: opts.secret ?? secret,
    timestamp: opts.timestamp ?? Math.floor(now / 1000),
    cryptoProvider,
  });

/** What the official library says of the same body and header: the event's id, or its error's first sentence. */
const official = (payload: string, header: string) =>
  sdk.webhooks
    .constructEventAsync(payload, header, secret, undefined, cryptoProvider, now)
    .then((e) => (e as { id: string }).id)
    .catch((err: Error) => err.message.split(/\n|(?<=\.) /)[0]!.trim());
const ours = (payload: string, header: string) =>
  verifyStripeEvent<{ id: string }>(payload, header, secret, now)
    .then((e) => e.id)
    .catch((err: Error) => err.message);

describe("a Stripe webhook's signature, checked without Stripe's library", () => {
  it("accepts and refuses what the official library does, for the same reasons", async () => {
    const good = await signed();
    const v1 = good.split(",v1=")[1]!;
    const cases: [string, string, string][] = [
      ["signed", body, good],
      ["one of several signatures good", body, `${good},v1=${"0".repeat(64)}`],
      ["another secret", body, await signed({ secret: "whsec_other_0123456789" })],
      ["the body changed", body.replace("evt_1", "evt_2"), good],
      ["six minutes old", body, await signed({ timestamp: Math.floor(now / 1000) - 360 })],
      ["no header", body, ""],
      ["no timestamp", body, `v1=${v1}`],
      ["no v1 signature", body, `t=${Math.floor(now / 1000)},v0=${v1}`],
      ["no body", "", good],
    ];
    for (const [what, payload, header] of cases)
      expect([what, await ours(payload, header)]).toEqual([what, await official(payload, header)]);
  });
});
