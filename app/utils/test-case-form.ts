import { z } from "zod";
import type { Expectation } from "../../core/testing/expectations";
import type { TestCase } from "../../core/testing/test-case";

const lines = (max: number) =>
  z
    .string()
    .max(20_000)
    .default("")
    .transform((t) =>
      t
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean)
        .slice(0, max),
    );

/** The portal's "add a test case" form, read into a case: one expectation per line, tool arguments as JSON. */
export const testCaseForm = z
  .object({
    name: z.string().trim().min(1, "Name the case").max(120),
    callerKind: z.enum(["scripted", "persona"]),
    turns: lines(30),
    persona: z.string().trim().max(4000).default(""),
    maxTurns: z.coerce.number().int().min(1).max(20).default(6),
    mustSay: lines(20),
    mustNotSay: lines(20),
    toolName: z.string().trim().max(64).default(""),
    toolArgs: z.string().trim().max(4000).default(""),
    endsCall: z.literal("on").optional(),
    judge: lines(10),
  })
  .transform((f, ctx): Omit<TestCase, "id"> => {
    if (f.callerKind === "scripted" && !f.turns.length)
      ctx.addIssue({ code: "custom", path: ["turns"], message: "Write what the caller says, one line per turn" });
    if (f.callerKind === "persona" && !f.persona)
      ctx.addIssue({ code: "custom", path: ["persona"], message: "Describe the caller and what they want" });
    let args: Record<string, string | number | boolean> | undefined;
    if (f.toolArgs) {
      try {
        const parsed = JSON.parse(f.toolArgs) as unknown;
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error();
        args = parsed as Record<string, string | number | boolean>;
      } catch {
        ctx.addIssue({
          code: "custom",
          path: ["toolArgs"],
          message: 'Tool arguments are a JSON object, like {"day": "Friday"}',
        });
      }
      if (!f.toolName)
        ctx.addIssue({ code: "custom", path: ["toolName"], message: "Name the tool the arguments are for" });
    }
    const expectations: Expectation[] = [
      ...f.mustSay.map((text) => ({ type: "must_say" as const, text })),
      ...f.mustNotSay.map((text) => ({ type: "must_not_say" as const, text })),
      ...(f.toolName ? [{ type: "tool_called" as const, name: f.toolName, ...(args ? { arguments: args } : {}) }] : []),
      ...(f.endsCall ? [{ type: "ends_call" as const }] : []),
      ...f.judge.map((criterion) => ({ type: "judge" as const, criterion })),
    ];
    if (!expectations.length)
      ctx.addIssue({ code: "custom", path: ["mustSay"], message: "Add at least one expectation" });
    return {
      name: f.name,
      caller:
        f.callerKind === "scripted"
          ? { kind: "scripted", turns: f.turns }
          : { kind: "persona", prompt: f.persona, maxTurns: f.maxTurns },
      expectations,
    };
  });

export { describeExpectation } from "./expectation-words";
