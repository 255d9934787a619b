import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildWidget } from "../scripts/build-widget";

describe("the embed script", () => {
  it("stays under its budget of 30 KB gzipped, with no framework in it", async () => {
    const js = await buildWidget();
    const gzipped = gzipSync(js).length;
    expect(gzipped).toBeLessThan(30 * 1024);
    expect(js).not.toMatch(/react|__REACT|preact/i);
    expect(js).toContain("attachShadow");
  });
});
