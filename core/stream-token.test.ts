import { describe, expect, it } from "vitest";
import { signStreamToken, verifyStreamToken } from "./stream-token";

const secret = "a-test-signing-key-with-enough-entropy-0123";
const claims = {
  callId: "6f1c1c9e-9a57-4a53-9a31-0f4a2f7c1e01",
  tenantId: "2b1d3c4e-5f60-4a71-8b92-a3b4c5d6e7f8",
  agentId: "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a",
};

describe("stream tokens", () => {
  it("round-trips the claims before expiry", async () => {
    const token = await signStreamToken(secret, claims, 60, 1_000_000);
    await expect(verifyStreamToken(secret, token, 1_030_000)).resolves.toMatchObject(claims);
  });

  it("rejects an expired token", async () => {
    const token = await signStreamToken(secret, claims, 60, 1_000_000);
    await expect(verifyStreamToken(secret, token, 1_060_000)).rejects.toThrow("expired");
  });

  it("rejects a token signed with another key", async () => {
    const token = await signStreamToken("another-key-another-key-another-key-42", claims, 60);
    await expect(verifyStreamToken(secret, token)).rejects.toThrow("bad signature");
  });

  it("rejects a token whose claims were altered", async () => {
    const token = await signStreamToken(secret, claims, 60);
    const [p, , sig] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ v: 1, ...claims, tenantId: claims.agentId, exp: 9e9 })).toString(
      "base64url",
    );
    await expect(verifyStreamToken(secret, `${p}.${forged}.${sig}`)).rejects.toThrow("bad signature");
  });

  it("rejects garbage", async () => {
    await expect(verifyStreamToken(secret, "nonsense")).rejects.toThrow("malformed");
  });
});
