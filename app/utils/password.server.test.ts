import { describe, expect, it } from "vitest";
import { hashPassword, isCommonPassword, newPassword, verifyPassword } from "./password.server";

describe("passwords", () => {
  it("hash with argon2id and verify only the right password", async () => {
    const h = await hashPassword("a long passphrase 42");
    expect(h).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(h, "a long passphrase 42")).toBe(true);
    expect(await verifyPassword(h, "a long passphrase 43")).toBe(false);
    expect(await verifyPassword("not a hash", "x")).toBe(false);
  });

  it("accept long passphrases and refuse short or common ones with a reason", () => {
    expect(newPassword.safeParse("correct horse battery staple").success).toBe(true);
    expect(newPassword.safeParse(`${"x".repeat(64)}yz`).success).toBe(true);
    expect(newPassword.safeParse("short").error?.issues[0]?.message).toMatch(/at least 8/);
    expect(newPassword.safeParse("password1").error?.issues[0]?.message).toMatch(/common/);
    expect(newPassword.safeParse("QWERTYUIOP").error?.issues[0]?.message).toMatch(/common/);
    expect(isCommonPassword("t4-unlikely-Zebra-91")).toBe(false);
  });
});
