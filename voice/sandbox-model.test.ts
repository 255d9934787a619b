import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { introduction, SANDBOX_LABEL, sandboxModel } from "./sandbox-model";
import type { ChatMessage } from "./types";

const reply = async (messages: ChatMessage[]) => {
  let text = "";
  for await (const piece of sandboxModel.stream(messages, {
    model: "m",
    temperature: 0,
    signal: new AbortController().signal,
  }))
    text += piece;
  return text;
};

describe("the sandbox model", () => {
  it("introduces the agent from its prompt's first sentence", () => {
    expect(introduction("You are Ava, the receptionist at Acme Dental. Book cleanings.")).toBe(
      "I'm Ava, the receptionist at Acme Dental",
    );
    expect(introduction("you're a friendly tour guide!\nBe brief.")).toBe("I'm a friendly tour guide");
    expect(introduction("Answer questions about Tess Tours.")).toBe(
      "My instructions begin: Answer questions about Tess Tours",
    );
    expect(introduction("  ")).toBe("I have no instructions yet");
    expect(introduction(`You are ${"very ".repeat(60)}helpful.`)).toMatch(/^I'm (very ){20,}very…$/);
  });

  it("answers with a labelled canned reply: who it is, and what the caller said last", async () => {
    expect(
      await reply([
        { role: "system", content: "You are Ava, the receptionist at Acme Dental." },
        { role: "user", content: "Can I book a cleaning?" },
        { role: "system", content: "Passages from the knowledge base…" },
      ]),
    ).toBe(`${SANDBOX_LABEL} I'm Ava, the receptionist at Acme Dental. You said: Can I book a cleaning?`);
  });

  it("always starts with its label and never says more than a short introduction", () => {
    fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 2000 }), fc.string({ maxLength: 200 }), async (prompt, said) => {
        const text = await reply([
          { role: "system", content: prompt },
          { role: "user", content: said },
        ]);
        expect(text.startsWith(`${SANDBOX_LABEL} `)).toBe(true);
        expect(text.endsWith(`You said: ${said}`)).toBe(true);
        expect(introduction(prompt).length).toBeLessThanOrEqual(150);
      }),
    );
  });
});
