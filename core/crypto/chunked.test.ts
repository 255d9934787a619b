import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChunkError, chunkSpan, MAX_HEADER_BYTES, parseChunkedHeader } from "./chunked";
import { createPiiCipher, generatePiiKey } from "./pii";

const k1 = generatePiiKey("k1");
const k2 = generatePiiKey("k2-longer-id-16c".slice(0, 16));
const cipher = createPiiCipher({ keys: k1, blindIndexKey: "x" });
const blob = {
  tenantId: "11111111-1111-4111-8111-111111111111",
  table: "recordings",
  column: "audio",
  rowId: "aaaaaaaa-1111-4111-8111-111111111111",
};

/** Opens every chunk of a sealed file as a reader would: header first, then chunk by chunk. */
async function openAll(sealed: Uint8Array<ArrayBuffer>, c = cipher, field = blob) {
  const layout = parseChunkedHeader(sealed.subarray(0, MAX_HEADER_BYTES))!;
  const opener = await c.chunkOpener(layout, field);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < layout.chunkCount; i++) {
    const { start, end } = chunkSpan(layout, i);
    parts.push(await opener.open(i, sealed.slice(start, end)));
  }
  return Buffer.concat(parts);
}

describe("chunked sealing", () => {
  it("round-trips any length at any chunk size", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 20_000 }),
        fc.integer({ min: 1024, max: 4096 }),
        async (plain, chunkSize) => {
          const sealed = await cipher.sealChunked(plain, blob, chunkSize);
          const layout = parseChunkedHeader(sealed)!;
          expect(layout).toMatchObject({
            keyId: "k1",
            chunkSize,
            plainLength: plain.length,
            chunkCount: Math.max(1, Math.ceil(plain.length / chunkSize)),
          });
          expect(chunkSpan(layout, layout.chunkCount - 1).end).toBe(sealed.length);
          expect((await openAll(sealed)).equals(Buffer.from(plain))).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("refuses a chunk read at another index, from another recording or tenant, or with a byte changed", async () => {
    const plain = new Uint8Array(10_000).map((_, i) => i % 251);
    const a = await cipher.sealChunked(plain, blob, 1024);
    const b = await cipher.sealChunked(plain, { ...blob, rowId: "bbbbbbbb-1111-4111-8111-111111111111" }, 1024);
    const layout = parseChunkedHeader(a)!;
    const opener = await cipher.chunkOpener(layout, blob);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: layout.chunkCount - 1 }),
        fc.integer({ min: 0, max: layout.chunkCount - 1 }),
        fc.nat(),
        async (i, j, flip) => {
          const span = chunkSpan(layout, j);
          if (i !== j && span.end - span.start === chunkSpan(layout, i).end - chunkSpan(layout, i).start)
            await expect(opener.open(i, a.slice(span.start, span.end))).rejects.toThrow(ChunkError);
          await expect(opener.open(j, b.slice(span.start, span.end))).rejects.toThrow(ChunkError);
          const tampered = a.slice(span.start, span.end);
          tampered[flip % tampered.length]! ^= 1;
          await expect(opener.open(j, tampered)).rejects.toThrow(ChunkError);
        },
      ),
      { numRuns: 60 },
    );
    for (const other of [
      { ...blob, tenantId: "22222222-2222-4222-8222-222222222222" },
      { ...blob, rowId: "bbbbbbbb-1111-4111-8111-111111111111" },
      { ...blob, column: "other" },
    ])
      await expect(openAll(a, cipher, other)).rejects.toThrow(ChunkError);
  });

  it("refuses a file whose header was changed (a length cut short, a chunk size changed)", async () => {
    const sealed = await cipher.sealChunked(new Uint8Array(5000).fill(7), blob, 1024);
    const shorter = sealed.slice();
    const view = new DataView(shorter.buffer);
    const at = 4 + 1 + 2 + 4; // magic, id length, "k1", chunk size
    view.setBigUint64(at, 4096n); // claims the last chunk is gone
    await expect(openAll(shorter)).rejects.toThrow(ChunkError);
    const resized = sealed.slice();
    new DataView(resized.buffer).setUint32(7, 2048);
    await expect(openAll(resized)).rejects.toThrow(ChunkError);
    expect(parseChunkedHeader(new TextEncoder().encode("pib1 an old blob"))).toBeNull();
    expect(() => parseChunkedHeader(sealed.slice(0, 10))).toThrow(ChunkError);
  });

  it("is read after a key rotation with the key it names", async () => {
    const old = await cipher.sealChunked(new Uint8Array(3000).fill(1), blob, 1024);
    const rotated = createPiiCipher({ keys: `${k2},${k1}`, blindIndexKey: "x" });
    expect((await openAll(old, rotated)).equals(Buffer.alloc(3000, 1))).toBe(true);
    const fresh = await rotated.sealChunked(new Uint8Array(10), blob);
    expect(parseChunkedHeader(fresh)!.keyId).toBe(k2.split(":")[0]);
    await expect(openAll(fresh, cipher)).rejects.toThrow(/no PII key/);
  });
});
