import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { saysEndPhrase } from "./end-phrases";

describe("end-call phrases", () => {
  it("match whole words, whatever the case and punctuation", () => {
    expect(saysEndPhrase("Goodbye!", ["goodbye"])).toBe(true);
    expect(saysEndPhrase("OK then, BYE NOW.", ["bye now"])).toBe(true);
    expect(saysEndPhrase("ok bye\nnow", ["Bye,  now"])).toBe(true);
    expect(saysEndPhrase("Maybe tomorrow.", ["bye"])).toBe(false);
    expect(saysEndPhrase("Goodbyes are hard.", ["goodbye"])).toBe(false);
    expect(saysEndPhrase("Au revoir, à bientôt !", ["à bientôt"])).toBe(true);
    expect(saysEndPhrase("好的，再见！", ["再见"])).toBe(true);
    expect(saysEndPhrase("好的再见", ["再见"])).toBe(true);
  });

  it("an empty or punctuation-only phrase matches nothing", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(saysEndPhrase(text, ["", "  ", "!?", "..."])).toBe(false);
      }),
    );
  });

  it("any text containing a phrase between spaces says it", () => {
    const word = fc.stringMatching(/^[a-z]{1,8}$/);
    fc.assert(
      fc.property(
        fc.array(word),
        fc.array(word, { minLength: 1, maxLength: 3 }),
        fc.array(word),
        (before, phrase, after) => {
          expect(saysEndPhrase([...before, ...phrase, ...after].join(" "), [phrase.join(" ")])).toBe(true);
        },
      ),
    );
  });

  it("runs in linear time on a long, crafted transcript", () => {
    const text = `${"bye ".repeat(200_000)}x`;
    const started = performance.now();
    expect(saysEndPhrase(text, ["bye bye bye bye bye bye bye bye bye bye bye bye x y"])).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
