import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkText, keywordQuery } from "./chunk";
import { EMBEDDING_DIMENSIONS, sandboxEmbedder } from "./embeddings";
import { htmlToText } from "./html";
import { markdownToText } from "./markdown";

/** Whether `needle`'s characters appear in `hay` in order (two pointers: linear). */
function inOrder(needle: string, hay: string) {
  let j = 0;
  for (let i = 0; i < hay.length && j < needle.length; i++) if (hay[i] === needle[j]) j++;
  return j === needle.length;
}
const visible = (s: string) => s.replace(/\s+/g, "");

describe("knowledge text", () => {
  it("chunks at paragraph boundaries, with a little overlap, never over the target", () => {
    const paras = Array.from({ length: 12 }, (_, i) => `Paragraph ${i} ${"word ".repeat(30)}ends here.`);
    const chunks = chunkText(paras.join("\n\n"), 400, 60);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.every((c) => c.length <= 400 + 60)).toBe(true);
    expect(chunks[0]).toMatch(/^Paragraph 0/);
    expect(chunks.join(" ")).toContain("Paragraph 11");
    expect(chunkText("One short note.")).toEqual(["One short note."]);
    expect(chunkText("  \n\n ")).toEqual([]);
  });

  it("reads HTML and Markdown as text", () => {
    expect(
      htmlToText(
        "<html><head><style>p{}</style><script>alert(1)</script></head><body><h1>Hours</h1><p>Open 9&ndash;5 &amp; Sat&#39;s</p></body></html>",
      ),
    ).toBe("Hours\n\nOpen 9&ndash;5 & Sat's");
    expect(markdownToText("# Prices\n\n**Cut**: [see list](https://x.test) `now`")).toBe("Prices\n\nCut: see list now");
  });

  it("keeps every character of any text, in order, in chunks no longer than the target and its overlap", () => {
    const text = fc
      .array(
        fc.oneof(
          fc.constantFrom(".", "!", "?", '"', ")", "]", " ", "\n", "\n\n", "\r\n", "\t", "\u00a0", "word", "x"),
          fc.string({ maxLength: 8 }),
        ),
        { maxLength: 120 },
      )
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, fc.integer({ min: 4, max: 60 }), fc.integer({ min: 0, max: 20 }), (t, target, overlap) => {
        const chunks = chunkText(t, target, overlap);
        expect(inOrder(visible(t), visible(chunks.join(" ")))).toBe(true);
        for (const c of chunks) {
          expect(c.length).toBeLessThanOrEqual(target + overlap + 1);
          expect(c).toBe(c.replace(/\s+/g, " ").trim());
          expect(c).not.toBe("");
        }
        if (overlap === 0) expect(visible(chunks.join(""))).toBe(visible(t));
      }),
      { numRuns: 2000 },
    );
  });

  it("chunks in linear time: a megabyte of one paragraph, of sentences, of blank lines", { timeout: 20_000 }, () => {
    const n = 1_000_000;
    expect(chunkText("a".repeat(n), 900, 0).join("")).toBe("a".repeat(n));
    expect(chunkText(". ".repeat(n / 2)).length).toBeGreaterThan(500);
    expect(chunkText("\n \n".repeat(n / 3))).toEqual([]);
    expect(chunkText(`x${"\n ".repeat(n / 2)}y`)).toEqual(["x y"]);
  });

  it("makes a safe OR query of the caller's words", () => {
    expect(keywordQuery("What's the price of a haircut? (today!) & | ':*")).toBe(
      "what | the | price | of | haircut | today",
    );
  });

  it("sandbox embeddings are unit vectors; shared words score higher", async () => {
    const [a, b, c] = await sandboxEmbedder.embed([
      "opening hours on Saturday",
      "Saturday opening times",
      "parking behind the building",
    ]);
    const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i]!, 0);
    expect(a!.length).toBe(EMBEDDING_DIMENSIONS);
    expect(dot(a!, a!)).toBeCloseTo(1, 6);
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!));
  });
});
