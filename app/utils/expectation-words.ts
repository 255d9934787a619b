import type { Expectation } from "../../core/testing/expectations";

/** An expectation in words, as the suite and run pages list it (no zod: they run in the browser, docs/decisions/0046). */
export const describeExpectation = (e: Expectation) =>
  e.type === "must_say"
    ? `says "${e.text}"`
    : e.type === "must_not_say"
      ? `never says "${e.text}"`
      : e.type === "tool_called"
        ? `calls ${e.name}${e.arguments ? ` with ${JSON.stringify(e.arguments)}` : ""}`
        : e.type === "ends_call"
          ? "ends the call"
          : `judged: ${e.criterion}`;
