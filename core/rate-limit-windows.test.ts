import type { Redis } from "@upstash/redis";
import { describe, expect, it } from "vitest";
import { memoryWindows, rateLimitHeaders, upstashWindows } from "./rate-limit-windows";

const perKey = { name: "api-key", max: 3, windowSeconds: 60 };
const perTenant = { name: "api-tenant", max: 5, windowSeconds: 60 };

describe("sliding windows", () => {
  it("admit while every check has room, count a request in all its windows or none, and name the tightest", async () => {
    const w = memoryWindows();
    const twoKeys = async (key: string) =>
      (
        await w.check([
          { rule: perKey, key },
          { rule: perTenant, key: "t1" },
        ])
      ).success;
    expect([await twoKeys("k1"), await twoKeys("k1"), await twoKeys("k1"), await twoKeys("k1")]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    // The tenant has used 3 of 5: a second key of the same tenant gets 2, not 3.
    expect([await twoKeys("k2"), await twoKeys("k2"), await twoKeys("k2")]).toEqual([true, true, false]);
    const refused = await w.check([
      { rule: perKey, key: "k3" },
      { rule: perTenant, key: "t1" },
    ]);
    expect(refused).toMatchObject({ success: false, rule: perTenant, remaining: 0 });
  });

  it("describe the decision in IETF RateLimit fields, with Retry-After only when refused", () => {
    expect(rateLimitHeaders({ success: true, rule: perKey, remaining: 2, resetSeconds: 41 })).toEqual({
      "RateLimit-Policy": '"api-key";q=3;w=60',
      RateLimit: '"api-key";r=2;t=41',
    });
    expect(rateLimitHeaders({ success: false, rule: perKey, remaining: 0, resetSeconds: 7 })["Retry-After"]).toBe("7");
  });

  it("decide by the class's policy when Redis does not answer within the timeout: closed refuses, open admits", async () => {
    // A Redis that never answers (the integration suite covers a real outage through the REST adapter).
    const silent = { eval: () => new Promise(() => {}) } as unknown as Redis;
    const checks = [{ rule: perKey, key: "k" }];
    expect(
      await upstashWindows(silent, { prefix: "t", onFailure: "closed", timeoutMs: 20 }).check(checks),
    ).toMatchObject({ success: false, unavailable: true, resetSeconds: 30 });
    expect(await upstashWindows(silent, { prefix: "t", onFailure: "open", timeoutMs: 20 }).check(checks)).toMatchObject(
      { success: true, unavailable: true },
    );
  });
});
