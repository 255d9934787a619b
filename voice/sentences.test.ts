import { describe, expect, it } from "vitest";
import { sentences } from "./sentences";

async function* chunks(...parts: string[]) {
  for (const p of parts) yield p;
}
const collect = async (it: AsyncIterable<string>) => {
  const out: string[] = [];
  for await (const s of it) out.push(s);
  return out;
};

describe("sentences", () => {
  it("yields each sentence as soon as it ends, across arbitrary chunking", async () => {
    expect(
      await collect(sentences(chunks("We are op", "en nine to five. Any", "thing else? Call us", " anytime"))),
    ).toEqual(["We are open nine to five.", "Anything else?", "Call us anytime"]);
  });
  it("does not split decimals or a trailing period without a space, and skips empty text", async () => {
    expect(await collect(sentences(chunks("It costs 4.50 dollars.", "")))).toEqual(["It costs 4.50 dollars."]);
    expect(await collect(sentences(chunks("", "  ")))).toEqual([]);
  });
});
