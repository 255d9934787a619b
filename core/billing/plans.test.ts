import { describe, expect, it } from "vitest";
import { callCharge, planOf, plans, thresholdsCrossed } from "./plans";

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

  it("names the usage thresholds a call crosses, each once, and none for a plan with nothing included", () => {
    const trial = planOf("trial"); // 3600 s included
    expect(thresholdsCrossed(trial, 0n, 100n)).toEqual([]);
    expect(thresholdsCrossed(trial, 2800n, 80n)).toEqual([80]); // 2880 = 80 %
    expect(thresholdsCrossed(trial, 2880n, 100n)).toEqual([]); // already past 80 %
    expect(thresholdsCrossed(trial, 2000n, 2000n)).toEqual([80, 100]);
    expect(thresholdsCrossed(trial, 3600n, 60n)).toEqual([]);
    expect(thresholdsCrossed(planOf("payg"), 0n, 1_000_000n)).toEqual([]);
  });
});
