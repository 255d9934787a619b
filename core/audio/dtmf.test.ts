import { describe, expect, it } from "vitest";
import { detectDtmf } from "../../tests/support/dtmf-detect";
import { dtmfFrames, dtmfSpeech } from "./dtmf";
import { decodeMulaw } from "./mulaw";

const decode = (frames: Uint8Array[]) => decodeMulaw(Uint8Array.from(frames.flatMap((f) => [...f])));

describe("DTMF tones", () => {
  it("a detector hears every key back through μ-law", () => {
    expect(detectDtmf(decode(dtmfFrames("0123456789*#")))).toBe("0123456789*#");
  });

  it("repeated keys stay separate, and w is a half-second of silence", () => {
    expect(detectDtmf(decode(dtmfFrames("11w2")))).toBe("112");
    expect(dtmfSpeech("1w").length - dtmfSpeech("1").length).toBe(4000);
  });

  it("refuses anything that is not a key", () => {
    expect(() => dtmfSpeech("12a")).toThrow(/0-9, \*, #/);
    expect(() => dtmfSpeech("")).toThrow();
    expect(() => dtmfSpeech("1".repeat(33))).toThrow();
  });
});
