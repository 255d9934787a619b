import { describe, expect, it } from "vitest";
import { billableSeconds, callCostMicros, formatMicros, parseDecimalMicros } from "./money";

describe("money", () => {
  it("prices calls per started second in exact micro-units", () => {
    expect(billableSeconds(0)).toBe(0);
    expect(billableSeconds(1)).toBe(1);
    expect(billableSeconds(61_000)).toBe(61);
    expect(billableSeconds(61_001)).toBe(62);
    expect(callCostMicros(61, 1000n)).toBe(61_000n);
    // 0.1 + 0.2 would not be exact as floats; as micro-units it is.
    expect(callCostMicros(3, 100_000n) + callCostMicros(3, 200_000n)).toBe(900_000n);
  });

  it("rejects fractional or negative durations", () => {
    expect(() => callCostMicros(1.5, 1000n)).toThrow(RangeError);
    expect(() => callCostMicros(-1, 1000n)).toThrow(RangeError);
  });

  it("formats for people", () => {
    expect(formatMicros(61_000n)).toBe("$0.061");
    expect(formatMicros(1_500_000n)).toBe("$1.50");
    expect(formatMicros(123_456n)).toBe("$0.123456");
    expect(formatMicros(-2_000_000n)).toBe("-$2.00");
  });

  it("reads a provider's decimal price exactly, as micros", () => {
    expect(parseDecimalMicros("-0.01300")).toBe(-13000n);
    expect(parseDecimalMicros("12.5")).toBe(12500000n);
    expect(parseDecimalMicros("0")).toBe(0n);
    expect(() => parseDecimalMicros("0.0000001")).toThrow(RangeError);
    expect(() => parseDecimalMicros("1e-3")).toThrow(RangeError);
  });
});
