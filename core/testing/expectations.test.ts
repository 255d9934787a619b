import { describe, expect, it } from "vitest";
import { checkAll } from "./expectations";

const conversation = {
  transcript: [
    { speaker: "agent" as const, text: "Hello, Salon Sam here." },
    { speaker: "caller" as const, text: "Book me for Friday at 10." },
    { speaker: "tool" as const, text: "book(...)" },
    { speaker: "agent" as const, text: "You're booked for Friday at ten." },
  ],
  toolCalls: [{ name: "book", arguments: '{"day":"Friday","time":"10:00"}' }],
  endedBy: "end_call_tool",
};

describe("test expectations", () => {
  it("pass and fail each kind, saying what was found", async () => {
    const checks = await checkAll(
      [
        { type: "must_say", text: "booked for friday" },
        { type: "must_say", text: "see you soon" },
        { type: "must_not_say", text: "sorry" },
        { type: "must_not_say", text: "Salon Sam" },
        { type: "tool_called", name: "book", arguments: { day: "friday" } },
        { type: "tool_called", name: "book", arguments: { day: "saturday" } },
        { type: "tool_called", name: "cancel" },
        { type: "ends_call" },
        { type: "judge", criterion: "polite" },
      ],
      conversation,
      null,
    );
    expect(checks.map((c) => c.passed)).toEqual([true, false, true, false, true, false, false, true, false]);
    expect(checks[1]!.detail).toBe('the agent never said "see you soon"');
    expect(checks[5]!.detail).toMatch(/not \{"day":"saturday"\}/);
    expect(checks[6]!.detail).toBe("cancel was not called (called: book)");
    expect(checks[8]!.detail).toMatch(/needs a model/);
  });

  it("asks the judge for judged criteria", async () => {
    const [c] = await checkAll(
      [{ type: "judge", criterion: "confirms the time" }],
      conversation,
      async (criterion, transcript) => ({ passed: transcript.length === 4, reason: `judged: ${criterion}` }),
    );
    expect(c).toMatchObject({ passed: true, detail: "judged: confirms the time" });
  });
});
