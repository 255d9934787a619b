import { describe, expect, it } from "vitest";
import { newPublishableKey, originAllowed, parseAllowedOrigin, publishableKeyPattern } from "./widget";

describe("widget origins", () => {
  const allowed = ["https://shop.example.com", "https://*.example.org", "http://localhost:3000"];

  it("accepts exact origins and subdomains of a wildcard", () => {
    expect(originAllowed("https://shop.example.com", allowed)).toBe(true);
    expect(originAllowed("https://a.example.org", allowed)).toBe(true);
    expect(originAllowed("https://a.b.example.org", allowed)).toBe(true);
    expect(originAllowed("http://localhost:3000", allowed)).toBe(true);
  });

  it("refuses look-alikes, other schemes and ports, the bare wildcard domain, and no origin", () => {
    for (const o of [
      "https://example.org", // the wildcard covers subdomains only
      "https://evil-example.org",
      "https://shop.example.com.evil.net",
      "http://shop.example.com",
      "https://shop.example.com:8443",
      "http://localhost:3001",
      "https://a.example.org:444",
      "https://shop.example.com/path",
      "null",
      "",
    ])
      expect(originAllowed(o, allowed), o).toBe(false);
    expect(originAllowed(undefined, allowed)).toBe(false);
  });

  it("normalises allow-list entries and explains a bad one", () => {
    expect(parseAllowedOrigin(" HTTPS://Shop.Example.com/ ")).toEqual({ origin: "https://shop.example.com" });
    expect(parseAllowedOrigin("https://*.example.org")).toEqual({ origin: "https://*.example.org" });
    expect(parseAllowedOrigin("shop.example.com")).toHaveProperty("error");
    expect(parseAllowedOrigin("https://*.com")).toHaveProperty("error");
    expect(parseAllowedOrigin("https://example.com/shop")).toHaveProperty("error");
    expect(parseAllowedOrigin("https://*")).toHaveProperty("error");
  });

  it("makes publishable keys of one shape, never repeated", () => {
    const a = newPublishableKey();
    expect(a).toMatch(publishableKeyPattern);
    expect(newPublishableKey()).not.toBe(a);
  });
});
