import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { substantiveWords } from "./backchannels";

describe("backchannels", () => {
  it("finds no substance in listening noises, in each listed language", () => {
    for (const [text, lang] of [
      ["Mhm.", "en"],
      ["yeah, yeah", "en-US"],
      ["Uh-huh, right. I see.", "en"],
      ["okay got it", "en-GB"],
      ["Sí, claro, vale.", "es"],
      ["Ja, genau. Alles klar.", "de"],
      ["Oui, d'accord, je vois.", "fr"],
    ])
      expect(substantiveWords(text!, lang!), text).toEqual([]);
  });
  it("keeps every word of a real interruption", () => {
    expect(substantiveWords("Wait, can I ask something else?", "en")).toEqual([
      "wait",
      "can",
      "i",
      "ask",
      "something",
      "else",
    ]);
    expect(substantiveWords("no stop", "en")).toEqual(["no", "stop"]);
    expect(substantiveWords("yeah but what about Tuesday", "en")).toEqual(["but", "what", "about", "tuesday"]);
    expect(substantiveWords("Nein, warte", "de")).toEqual(["nein", "warte"]);
  });
  it("counts a word outside the list wherever it stands among listening noises (any text)", () => {
    const noise = fc.constantFrom("mhm", "yeah", "okay", "uh-huh", "right", "i see", "got it", "all right");
    fc.assert(
      fc.property(fc.array(noise, { maxLength: 8 }), fc.array(noise, { maxLength: 8 }), (before, after) => {
        expect(substantiveWords([...before, "Tuesday", ...after].join(", "), "en")).toEqual(["tuesday"]);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.constantFrom("en", "es", "de", "xx"), (text, lang) => {
        expect(substantiveWords(`${text} zzqx`, lang).at(-1)).toBe("zzqx");
      }),
    );
  });
  it("runs in linear time on hostile input", () => {
    expect(substantiveWords(`${"mhm ".repeat(50_000)}${"-'".repeat(50_000)}`, "en")).toEqual([]);
    expect(substantiveWords(`${"-'".repeat(100_000)}a${"'-".repeat(100_000)}b`, "en")).toHaveLength(1);
  });
});
