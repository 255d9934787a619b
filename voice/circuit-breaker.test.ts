import { describe, expect, it } from "vitest";
import { CircuitOpenError, createCircuitBreaker } from "./circuit-breaker";

describe("the provider circuit breaker", () => {
  it("opens after repeated failures, fails fast, probes after the cool-down and closes on success", () => {
    let t = 0;
    const b = createCircuitBreaker("openai", { threshold: 3, coolDownMs: 1000, now: () => t });
    b.failure();
    b.failure();
    expect(b.state).toBe("closed");
    b.failure();
    expect(b.state).toBe("open");
    expect(() => b.check()).toThrow(CircuitOpenError);
    t = 1000;
    expect(b.state).toBe("half-open");
    expect(() => b.check()).not.toThrow();
    b.failure();
    expect(b.state).toBe("open");
    t = 2000;
    b.success();
    expect(b.state).toBe("closed");
  });
  it("a success resets the count of failures in a row", () => {
    const b = createCircuitBreaker("x", { threshold: 2 });
    b.failure();
    b.success();
    b.failure();
    expect(b.state).toBe("closed");
  });
});
