import { describe, expect, it } from "vitest";
import { memoryLimiter, retryAfterSeconds } from "./rate-limit";

describe("the in-process limiter", () => {
  it("counts per key within a window and reports when it resets", async () => {
    const l = memoryLimiter({ max: 2, windowSeconds: 60 });
    const r = [await l.limit("a"), await l.limit("a"), await l.limit("a"), await l.limit("b")];
    expect(r.map((x) => x.success)).toEqual([true, true, false, true]);
    expect(retryAfterSeconds(r[2]!)).toBeGreaterThan(0);
    expect(retryAfterSeconds(r[2]!)).toBeLessThanOrEqual(60);
  });
  it("never reports a retry time under one second", () => {
    expect(retryAfterSeconds({ success: false, limit: 1, remaining: 0, reset: Date.now() - 5000 })).toBe(1);
  });
});
