import { describe, expect, it } from "vitest";
import { createPiiCipher, generatePiiKey, keyIdOf, normalizePhone, PiiError, parsePiiKeys } from "./pii";

const k1 = generatePiiKey("k1");
const k2 = generatePiiKey("k2");
const field = { tenantId: "11111111-1111-4111-8111-111111111111", table: "calls", column: "from_number" };

describe("PII encryption", () => {
  it("round-trips, never shows the plaintext and uses a fresh IV each time", async () => {
    const c = createPiiCipher({ keys: k1, blindIndexKey: "index-key" });
    const a = await c.encrypt("+14155550100", field);
    const b = await c.encrypt("+14155550100", field);
    expect(a).toMatch(/^pii1\.k1\./);
    expect(a).not.toContain("4155550100");
    expect(a).not.toBe(b);
    expect(await c.decrypt(a, field)).toBe("+14155550100");
  });

  it("refuses a value moved to another tenant, table or column", async () => {
    const c = createPiiCipher({ keys: k1, blindIndexKey: "x" });
    const sealed = await c.encrypt("+14155550100", field);
    for (const other of [
      { ...field, tenantId: "22222222-2222-4222-8222-222222222222" },
      { ...field, table: "webhook_endpoints" },
      { ...field, column: "to_number" },
    ]) {
      await expect(c.decrypt(sealed, other)).rejects.toThrow(PiiError);
    }
  });

  it("detects tampering and unknown keys", async () => {
    const c = createPiiCipher({ keys: k1, blindIndexKey: "x" });
    const sealed = await c.encrypt("secret", field);
    // A character well inside the ciphertext (all six bits count), always changed to another one.
    const at = sealed.length - 10;
    const flipped = sealed.slice(0, at) + (sealed[at] === "A" ? "B" : "A") + sealed.slice(at + 1);
    expect(flipped).not.toBe(sealed);
    await expect(c.decrypt(flipped, field)).rejects.toThrow(PiiError);
    await expect(c.decrypt(sealed.replace("pii1.k1.", "pii1.k9."), field)).rejects.toThrow(/no PII key "k9"/);
    await expect(c.decrypt("+14155550100", field)).rejects.toThrow(/not a pii1/);
  });

  it("rotates: the newest key encrypts, older keys still decrypt", async () => {
    const old = createPiiCipher({ keys: k1, blindIndexKey: "x" });
    const rotated = createPiiCipher({ keys: `${k2},${k1}`, blindIndexKey: "x" });
    const before = await old.encrypt("a@b.c", field);
    expect(rotated.needsRotation(before)).toBe(true);
    expect(await rotated.decrypt(before, field)).toBe("a@b.c");
    const after = await rotated.encrypt("a@b.c", field);
    expect(keyIdOf(after)).toBe("k2");
    expect(rotated.needsRotation(after)).toBe(false);
  });

  it("encrypts blobs bound to their row; a blob moved, tampered with or under an unknown key fails", async () => {
    const old = createPiiCipher({ keys: k1, blindIndexKey: "x" });
    const rotated = createPiiCipher({ keys: `${k2},${k1}`, blindIndexKey: "x" });
    const blob = { ...field, table: "recordings", column: "audio", rowId: "RE1" };
    const audio = new Uint8Array(5000).map((_, i) => (i * 7) % 256);
    const sealed = await old.encryptBlob(audio, blob);
    expect(Buffer.from(sealed).includes(Buffer.from(audio.subarray(0, 64)))).toBe(false);
    expect(await rotated.decryptBlob(sealed, blob)).toEqual(audio);
    await expect(old.decryptBlob(sealed, { ...blob, rowId: "RE2" })).rejects.toThrow(PiiError);
    await expect(
      old.decryptBlob(sealed, { ...blob, tenantId: "22222222-2222-4222-8222-222222222222" }),
    ).rejects.toThrow(PiiError);
    const flipped = sealed.slice();
    flipped[flipped.length - 1]! ^= 1;
    await expect(old.decryptBlob(flipped, blob)).rejects.toThrow(/does not decrypt/);
    await expect(createPiiCipher({ keys: k2, blindIndexKey: "x" }).decryptBlob(sealed, blob)).rejects.toThrow(
      /no PII key "k1"/,
    );
    await expect(old.decryptBlob(audio, blob)).rejects.toThrow(/not a pib1/);
  });

  it("blind index: deterministic per tenant and column, keyed, separate from the encryption key", async () => {
    const c = createPiiCipher({ keys: k1, blindIndexKey: "index-a" });
    const other = createPiiCipher({ keys: k1, blindIndexKey: "index-b" });
    const i = await c.blindIndex("+14155550100", field);
    expect(i).toMatch(/^[0-9a-f]{16}$/);
    expect(await c.blindIndex("+14155550100", field)).toBe(i);
    expect(await other.blindIndex("+14155550100", field)).not.toBe(i);
    expect(await c.blindIndex("+14155550100", { ...field, tenantId: "22222222-2222-4222-8222-222222222222" })).not.toBe(
      i,
    );
  });

  it("rejects malformed key lists with a message naming the problem", () => {
    expect(() => parsePiiKeys("nokey")).toThrow(/<id>:<base64/);
    expect(() => parsePiiKeys("k1:AAAA")).toThrow(/32 bytes/);
    expect(() => parsePiiKeys(`${k1},${k1}`)).toThrow(/unique/);
    expect(parsePiiKeys(`${k2},${k1}`).map((k) => k.id)).toEqual(["k2", "k1"]);
  });

  it("normalises phone numbers to E.164 for lookups", () => {
    expect(normalizePhone("+1 (415) 555-0100")).toBe("+14155550100");
    expect(normalizePhone("abc")).toBe("");
  });
});
