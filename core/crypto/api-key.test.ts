import { describe, expect, it } from "vitest";
import { newPublishableKey } from "../widget";
import { generateApiKey, hashApiKey, isApiKeyFormat } from "./api-key";

describe("API keys", () => {
  it("look like bv_live_ plus 40 base32 characters and keep only a hash and a short prefix", () => {
    const { key, prefix, hash } = generateApiKey();
    expect(isApiKeyFormat(key)).toBe(true);
    expect(prefix).toBe(key.slice(0, 14));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(key.slice(8));
    expect(hashApiKey(key)).toBe(hash);
  });
  it("are unique and reject anything malformed", () => {
    expect(generateApiKey().key).not.toBe(generateApiKey().key);
    for (const bad of [
      "",
      "bv_live_",
      `bv_test_${"a".repeat(40)}`,
      `bv_live_${"A".repeat(40)}`,
      `bv_live_${"a".repeat(39)}`,
    ]) {
      expect(isApiKeyFormat(bad)).toBe(false);
    }
  });
  it("never take a widget's publishable key, which is public by design", () => {
    const pk = newPublishableKey();
    expect(isApiKeyFormat(pk)).toBe(false);
    expect(isApiKeyFormat(`bv_live_${pk.slice(3)}`)).toBe(false); // not even reshaped: its 24 characters are too few
  });
});
