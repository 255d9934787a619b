import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sandboxProviders } from "./sandbox";
import { isControl, MAX_TYPED_CHARS, typedTurns, typedTurnText } from "./typed-turns";
import type { SttEvents } from "./types";

const heard = () => {
  const lines: { text: string; final: boolean; endOfTurn: boolean }[] = [];
  const events: SttEvents = { onSpeechStarted() {}, onTranscript: (t) => lines.push(t), onError() {} };
  return { lines, events };
};

describe("typed caller turns", () => {
  it("reach the conversation as a final, end-of-turn transcript, once it listens", async () => {
    const typed = typedTurns(sandboxProviders);
    expect(typed.say!("hello")).toBe(false); // no recogniser opened yet
    const { lines, events } = heard();
    await typed.providers.stt(events, { language: "en" });
    expect(typed.say!("  I'd like\na haircut  ")).toBe(true);
    expect(typed.say!(" ")).toBe(false);
    expect(typed.say!(42)).toBe(false);
    expect(typed.say!("x".repeat(MAX_TYPED_CHARS + 1))).toBe(false);
    expect(lines).toEqual([{ text: "I'd like a haircut", final: true, endOfTurn: true }]);
  });

  it("are not taken when a real recogniser listens", () => {
    const real = { ...sandboxProviders, vendors: { stt: "deepgram", llm: "sandbox", tts: "sandbox" } };
    expect(typedTurns(real)).toEqual({ providers: real, say: null });
    expect(typedTurns({ ...sandboxProviders, sandbox: false }).say).toBeNull();
    expect(typedTurns({ ...real, vendors: { ...real.vendors, stt: "sandbox" } }).say).not.toBeNull();
  });

  it("are 1-500 characters with no control characters, whatever is sent", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 3000 }), fc.anything()), (sent) => {
        const line = typedTurnText(sent);
        if (line === null) return;
        expect(line.length).toBeGreaterThan(0);
        expect(line.length).toBeLessThanOrEqual(MAX_TYPED_CHARS);
        expect(line).toBe(line.trim());
        expect(Array.from(line).some(isControl)).toBe(false);
      }),
    );
  });
});
