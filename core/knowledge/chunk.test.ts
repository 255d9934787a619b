import { describe, expect, it } from "vitest";
import { chunkText, htmlToText, keywordQuery, markdownToText } from "./chunk";
import { EMBEDDING_DIMENSIONS, sandboxEmbedder } from "./embeddings";

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
    expect(htmlToText("<html><head><style>p{}</style><script>alert(1)</script></head><body><h1>Hours</h1><p>Open 9&ndash;5 &amp; Sat&#39;s</p></body></html>")).toBe("Hours\n\nOpen 9&ndash;5 & Sat's");
    expect(markdownToText("# Prices\n\n**Cut**: [see list](https://x.test) `now`")).toBe("Prices\n\nCut: see list now");
  });

  it("makes a safe OR query of the caller's words", () => {
    expect(keywordQuery("What's the price of a haircut? (today!) & | ':*")).toBe("what | the | price | of | haircut | today");
  });

  it("sandbox embeddings are unit vectors; shared words score higher", async () => {
    const [a, b, c] = await sandboxEmbedder.embed(["opening hours on Saturday", "Saturday opening times", "parking behind the building"]);
    const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i]!, 0);
    expect(a!.length).toBe(EMBEDDING_DIMENSIONS);
    expect(dot(a!, a!)).toBeCloseTo(1, 6);
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!));
  });
});
