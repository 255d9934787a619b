import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { unfinishedThought } from "./endpointing";

describe("endpointing's extra wait", () => {
  it("waits when the caller stops on an open word, a comma or a number being read out", () => {
    for (const text of [
      "I'd like to book and",
      "so",
      "my number is five five five",
      "It's 0 7 7 0 0 9",
      "well, um",
      "for Tuesday,",
    ])
      expect(unfinishedThought(text, "en"), text).toBe(true);
    expect(unfinishedThought("Ich möchte einen Termin und", "de-DE")).toBe(true);
    expect(unfinishedThought("quiero reservar para el", "es")).toBe(true);
  });
  it("from a recogniser that punctuates, waits whenever the sentence has no final mark", () => {
    expect(unfinishedThought("I'd like to book", "en", { punctuated: true })).toBe(true);
    expect(unfinishedThought("I'd like to book", "en")).toBe(false);
    expect(unfinishedThought("I'd like to book a table.", "en", { punctuated: true })).toBe(false);
  });
  it("answers at once after a finished sentence", () => {
    for (const text of ["I'd like to book for Tuesday.", "What time do you open?", "thanks", "Tuesday at five.", ""])
      expect(unfinishedThought(text, "en"), text).toBe(false);
  });
  it("a sentence-ending mark always ends the thought, whatever comes before it (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom(".", "?", "!"), (text, end) => {
        expect(unfinishedThought(`${text} and${end}`, "en")).toBe(false);
        expect(unfinishedThought(`${text.replace(/[.?!…。,\-\s]+$/u, "")} and`, "en")).toBe(true);
      }),
    );
  });
});
