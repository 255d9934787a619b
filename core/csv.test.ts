import { describe, expect, it } from "vitest";
import { csvField, csvLine, parseCsv } from "./csv";

describe("CSV", () => {
  it("reads quoted fields, doubled quotes, embedded commas and newlines, CRLF, and skips blank lines", () => {
    expect(parseCsv('phone,name\r\n+14155552671,"Ada, ""the"" first"\n\n+14155552672,"two\nlines"\n')).toEqual([
      ["phone", "name"],
      ["+14155552671", 'Ada, "the" first'],
      ["+14155552672", "two\nlines"],
    ]);
  });
  it("writes fields back so they read the same, and defuses formulas", () => {
    for (const v of ["plain", 'with "quotes"', "a,b", "two\nlines"])
      expect(parseCsv(`${csvField(v)}\n`)).toEqual([[v]]);
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("+1+cmd|' /C calc'!A0")).toBe("'+1+cmd|' /C calc'!A0");
    expect(csvField("+14155552671")).toBe("+14155552671");
  });
});

describe("CSV lines", () => {
  it("end in CRLF and read back as the fields they were made of, formulas defused", () => {
    const line = csvLine(["a,b", '"q"', "=1+1", "+14155552671"]);
    expect(line.endsWith("\r\n")).toBe(true);
    expect(parseCsv(line)).toEqual([["a,b", '"q"', "'=1+1", "+14155552671"]]);
  });
});
