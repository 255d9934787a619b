import { describe, expect, it } from "vitest";
import { byteRange } from "./byte-range";

describe("byte ranges", () => {
  it("reads the three forms a player sends, clamped to the file", () => {
    expect(byteRange("bytes=0-99", 1000)).toEqual({ start: 0, end: 99 });
    expect(byteRange("bytes=900-", 1000)).toEqual({ start: 900, end: 999 });
    expect(byteRange("bytes=-100", 1000)).toEqual({ start: 900, end: 999 });
    expect(byteRange("bytes=500-5000", 1000)).toEqual({ start: 500, end: 999 });
  });

  it("is null without a header and 'bad' for what cannot be served", () => {
    expect(byteRange(null, 1000)).toBeNull();
    for (const h of ["bytes=1000-", "bytes=5-2", "bytes=-", "items=0-1", "bytes=0-1,5-6"])
      expect(byteRange(h, 1000), h).toBe("bad");
  });
});
