import { describe, expect, it } from "vitest";
import * as z from "./zod";

describe("zod's mini build as the edge uses it", () => {
  it("says what is wrong in English, as the full build does", () => {
    const schema = z.object({ url: z.url(), port: z.coerce.number().check(z.int(), z.maximum(65535)) });
    const parsed = schema.safeParse({ url: "not a url", port: "70000" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      "url: Invalid URL",
      "port: Too big: expected number to be <=65535",
    ]);
  });
});
