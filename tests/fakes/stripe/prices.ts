/** The prices as they would be set up in the Stripe dashboard for core/billing/plans (cents; decimals allowed). */
export const stripePrices = [
  {
    id: "price_payg_usage",
    product: "prod_calls",
    meter: "mtr_call_seconds",
    tiers: [{ up_to: null, unit_amount_decimal: "0.15" }],
  },
  { id: "price_pro_fee", product: "prod_pro", unit_amount: 9900 },
  {
    id: "price_pro_usage",
    product: "prod_calls",
    meter: "mtr_call_seconds",
    tiers: [
      { up_to: 120_000, unit_amount_decimal: "0" },
      { up_to: null, unit_amount_decimal: "0.1" },
    ],
  },
];

export const stripeMeters = [{ id: "mtr_call_seconds", event_name: "bvrai_call_seconds" }];
