import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { screeningPhrases } from "./call-screening";
import { DEFAULT_PURPOSE_LINE, SCREENING_LISTEN_TURNS, screeningTurns } from "./screening-turn";

const call = {
  firstMessage: "Hi {{name}}, this is Acme about your order.",
  voicemailMessage: "Hi {{name}}, Acme here. Please call us back.",
  variables: { name: "Ada" },
};
const google =
  "Hi, the person you're calling is using a screening service from Google, and will get a copy of this conversation.";

describe("the screening turn", () => {
  it("does what the call is configured to do, once", () => {
    const seen: string[] = [];
    const purpose = screeningTurns(
      { action: "state_purpose", message: "Acme calling for {{name}} about order 17." },
      call,
      (m, a) => seen.push(`${m.language}:${a}`),
    );
    expect(purpose(google)).toEqual({ say: "Acme calling for Ada about order 17." });
    expect(purpose(google)).toBeNull();
    expect(seen).toEqual(["en:state_purpose"]);
    expect(screeningTurns({ action: "state_purpose", message: null }, call, () => {})(google)).toEqual({
      say: "Hi Ada, this is Acme about your order.",
    });
    expect(
      screeningTurns({ action: "state_purpose", message: " " }, { ...call, firstMessage: "" }, () => {})(google),
    ).toEqual({ say: DEFAULT_PURPOSE_LINE });
    expect(screeningTurns({ action: "leave_message", message: null }, call, () => {})(google)).toEqual({
      end: "voicemail",
      line: "Hi Ada, Acme here. Please call us back.",
    });
    // No message to leave: it hangs up rather than say nothing.
    expect(
      screeningTurns({ action: "leave_message", message: null }, { ...call, voicemailMessage: null }, () => {})(google),
    ).toEqual({ end: "screening" });
    expect(screeningTurns({ action: "hang_up", message: null }, call, () => {})(google)).toEqual({ end: "screening" });
  });

  it("matches a prompt split over the first two turns, and nothing after them", () => {
    const split = screeningTurns({ action: "hang_up", message: null }, call, () => {});
    expect(split("Hi, the person you're calling")).toBeNull();
    expect(split("is using a screening service from Google.")).toEqual({ end: "screening" });
    const late = screeningTurns({ action: "hang_up", message: null }, call, () => {});
    for (let i = 0; i < SCREENING_LISTEN_TURNS; i++) expect(late("Hello? Who is this?")).toBeNull();
    expect(late(google)).toBeNull();
  });

  it("answers every phrase heard first, in any language, with exactly one action", () => {
    const all = Object.values(screeningPhrases).flat();
    fc.assert(
      fc.property(
        fc.constantFrom(...all),
        fc.constantFrom("state_purpose", "leave_message", "hang_up" as const),
        (phrase, action) => {
          let calls = 0;
          const turn = screeningTurns({ action, message: null }, call, () => calls++);
          expect(turn(`Hello. ${phrase}.`)).not.toBeNull();
          expect(turn(phrase)).toBeNull();
          expect(calls).toBe(1);
        },
      ),
    );
  });
});
