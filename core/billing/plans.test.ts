import { describe, expect, it } from "vitest";
import { callCharge, planOf, plans } from "./plans";

describe("plans", () => {
  it("charges only the seconds beyond the included ones, exactly", () => {
    const pro = plans.pro;
    expect(callCharge(pro, 0n, 60n)).toBe(0n);
    expect(callCharge(pro, 119_990n, 30n)).toBe(20n * 1_000n);
    expect(callCharge(pro, 200_000n, 61n)).toBe(61_000n);
    expect(callCharge(plans.payg, 0n, 1n)).toBe(1_500n);
    expect(callCharge(plans.trial, 10_000n, 600n)).toBe(0n);
  });

  it("sums to (total − included) × rate whatever the order and lengths of the calls", () => {
    const lengths = Array.from({ length: 500 }, (_, i) => BigInt((i * 7919) % 1_200));
    for (const plan of Object.values(plans)) {
      let used = 0n;
      let sum = 0n;
      for (const s of lengths) {
        sum += callCharge(plan, used, s);
        used += s;
      }
      const beyond = used > plan.includedSeconds ? used - plan.includedSeconds : 0n;
      expect(sum, plan.id).toBe(beyond * plan.overageMicrosPerSecond);
    }
  });

  it("falls back to the trial for an unknown plan id", () => {
    expect(planOf("enterprise").id).toBe("trial");
    expect(planOf(null).id).toBe("trial");
    expect(planOf("pro").limits.phoneNumbers).toBe(50);
  });
});
