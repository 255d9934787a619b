import { describe, expect, it } from "vitest";
import { isoDay, usageRange } from "./usage-range";

const now = new Date("2026-11-29T15:00:00Z");
const range = (q: string) => usageRange(new URLSearchParams(q), now);

describe("the usage dashboard's range", () => {
  it("defaults to the last 30 days, today included", () => {
    const r = range("");
    expect([isoDay(r.from), isoDay(r.to), r.error]).toEqual(["2026-10-31", "2026-11-30", null]);
  });

  it("takes inclusive days and returns [from, to)", () => {
    const r = range("from=2026-11-01&to=2026-11-01");
    expect([r.from.toISOString(), r.to.toISOString(), r.error]).toEqual([
      "2026-11-01T00:00:00.000Z",
      "2026-11-02T00:00:00.000Z",
      null,
    ]);
  });

  it("says what is wrong with a bad range, and shows the default instead", () => {
    expect(range("from=yesterday&to=2026-11-01").error).toBe("Use dates like 2026-11-01");
    expect(range("from=2026-11-05&to=2026-11-01").error).toBe("The start must be on or before the end");
    expect(range("from=2024-01-01&to=2026-11-01").error).toBe("Choose at most 366 days");
    expect(range("from=2026-02-31&to=2026-03-01").error).toBe("Use real dates like 2026-11-01");
    expect(isoDay(range("from=x&to=y").from)).toBe("2026-10-31");
  });
});
