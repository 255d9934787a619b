import { describe, expect, it } from "vitest";
import { diffSettings, lineDiff } from "./settings-diff";

describe("lineDiff", () => {
  it("keeps common lines and marks what was removed and added", () => {
    expect(lineDiff("a\nb\nc", "a\nx\nc\nd")).toEqual([
      { kind: "same", text: "a" },
      { kind: "removed", text: "b" },
      { kind: "added", text: "x" },
      { kind: "same", text: "c" },
      { kind: "added", text: "d" },
    ]);
  });
  it("an unchanged text is all common lines", () => {
    expect(lineDiff("one\ntwo", "one\ntwo").every((l) => l.kind === "same")).toBe(true);
  });
});

describe("diffSettings", () => {
  it("lists only the settings that changed, comparing arrays and objects by value", () => {
    const before = { name: "A", tools: [{ type: "end_call" }], temperature: "0.70", prompt: "x\ny" };
    const after = { name: "A", tools: [{ type: "end_call" }], temperature: "0.20", prompt: "x\nz" };
    const changes = diffSettings(before, after);
    expect(changes.map((c) => c.field)).toEqual(["temperature", "prompt"]);
    expect(changes[0]).toEqual({ field: "temperature", before: "0.70", after: "0.20" });
    expect(changes[1]!.lines).toEqual([
      { kind: "same", text: "x" },
      { kind: "removed", text: "y" },
      { kind: "added", text: "z" },
    ]);
  });
  it("a setting present on one side only is a change", () => {
    expect(diffSettings({ a: 1 }, { a: 1, b: 2 })).toEqual([{ field: "b", before: undefined, after: 2 }]);
  });
});
