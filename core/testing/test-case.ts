import type { Expectation } from "./expectations";

/** Who plays the caller: fixed lines in order, or an LLM given a persona. */
export type SimulatedCaller =
  | { kind: "scripted"; turns: string[] }
  | { kind: "persona"; prompt: string; maxTurns: number };
export type TestCase = { id: string; name: string; caller: SimulatedCaller; expectations: Expectation[] };
