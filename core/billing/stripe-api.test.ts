import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { STRIPE_API_VERSION } from "./stripe-api";

describe("the edge's Stripe reads", () => {
  it("ask for the API version the official library is pinned to, so a subscription reads the same", () => {
    expect(STRIPE_API_VERSION).toBe(Stripe.API_VERSION);
  });
});
