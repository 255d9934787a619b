import { describe, expect, it } from "vitest";
import { describeExpectation, testCaseForm } from "./test-case-form";

describe("the test case form", () => {
  it("reads a scripted case with every kind of expectation", () => {
    const parsed = testCaseForm.parse({
      name: "Books",
      callerKind: "scripted",
      turns: "Book Friday\n\n  That's all ",
      mustSay: "booked",
      mustNotSay: "sorry",
      toolName: "book",
      toolArgs: '{"day":"Friday"}',
      endsCall: "on",
      judge: "Polite throughout",
    });
    expect(parsed).toEqual({
      name: "Books",
      caller: { kind: "scripted", turns: ["Book Friday", "That's all"] },
      expectations: [
        { type: "must_say", text: "booked" },
        { type: "must_not_say", text: "sorry" },
        { type: "tool_called", name: "book", arguments: { day: "Friday" } },
        { type: "ends_call" },
        { type: "judge", criterion: "Polite throughout" },
      ],
    });
    expect(parsed.expectations.map(describeExpectation)).toEqual([
      'says "booked"',
      'never says "sorry"',
      'calls book with {"day":"Friday"}',
      "ends the call",
      "judged: Polite throughout",
    ]);
  });

  it("names what is missing or malformed", () => {
    const issues = (input: Record<string, string>) =>
      testCaseForm
        .safeParse({ name: "x", callerKind: "scripted", ...input })
        .error?.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    expect(issues({ mustSay: "hi" })).toEqual(["turns: Write what the caller says, one line per turn"]);
    expect(issues({ turns: "hi" })).toEqual(["mustSay: Add at least one expectation"]);
    expect(issues({ turns: "hi", toolArgs: "[1]" })).toEqual([
      'toolArgs: Tool arguments are a JSON object, like {"day": "Friday"}',
      "toolName: Name the tool the arguments are for",
      "mustSay: Add at least one expectation",
    ]);
    expect(issues({ callerKind: "persona", mustSay: "hi" })).toEqual([
      "persona: Describe the caller and what they want",
    ]);
  });
});
