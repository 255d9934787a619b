export type Expectation =
  | { type: "must_say"; text: string }
  | { type: "must_not_say"; text: string }
  | { type: "tool_called"; name: string; arguments?: Record<string, string | number | boolean> }
  | { type: "ends_call" }
  | { type: "judge"; criterion: string };
export type CheckResult = { expectation: Expectation; passed: boolean; detail: string };
export type TranscriptLine = { speaker: "agent" | "caller" | "tool"; text: string };

export type Conversation = {
  transcript: TranscriptLine[];
  toolCalls: { name: string; arguments: string }[];
  endedBy: string | null;
};
/** Judges a criterion against a transcript; null when no model is configured. */
export type Judge =
  | ((criterion: string, transcript: TranscriptLine[]) => Promise<{ passed: boolean; reason: string }>)
  | null;

const said = (c: Conversation) => c.transcript.filter((t) => t.speaker === "agent").map((t) => t.text.toLowerCase());
const sameValue = (want: unknown, got: unknown) =>
  typeof want === "string" && typeof got === "string"
    ? want.trim().toLowerCase() === got.trim().toLowerCase()
    : JSON.stringify(want) === JSON.stringify(got);
const parseArgs = (text: string): Record<string, unknown> => {
  try {
    return JSON.parse(text || "{}") as Record<string, unknown>;
  } catch {
    return {};
  }
};

/** Whether one expectation held in a conversation, with what was found. */
export async function check(e: Expectation, c: Conversation, judge: Judge): Promise<CheckResult> {
  const result = (passed: boolean, detail: string) => ({ expectation: e, passed, detail });
  switch (e.type) {
    case "must_say": {
      const hit = said(c).find((t) => t.includes(e.text.toLowerCase()));
      return result(Boolean(hit), hit ? `said: "${hit}"` : `the agent never said "${e.text}"`);
    }
    case "must_not_say": {
      const hit = said(c).find((t) => t.includes(e.text.toLowerCase()));
      return result(!hit, hit ? `said: "${hit}"` : `never said "${e.text}"`);
    }
    case "tool_called": {
      const calls = c.toolCalls.filter((t) => t.name === e.name);
      if (!calls.length)
        return result(
          false,
          `${e.name} was not called${c.toolCalls.length ? ` (called: ${c.toolCalls.map((t) => t.name).join(", ")})` : ""}`,
        );
      const wanted = Object.entries(e.arguments ?? {});
      const match = calls.find((t) => {
        const args = parseArgs(t.arguments);
        return wanted.every(([k, v]) => sameValue(v, args[k]));
      });
      return result(
        Boolean(match),
        match
          ? `called with ${match.arguments || "{}"}`
          : `called with ${calls.map((t) => t.arguments || "{}").join("; ")}, not ${JSON.stringify(e.arguments)}`,
      );
    }
    case "ends_call":
      return result(c.endedBy !== null, c.endedBy ? `ended (${c.endedBy})` : "the agent did not end the call");
    case "judge": {
      if (!judge) return result(false, "a judged criterion needs a model: set an OpenAI key");
      const verdict = await judge(e.criterion, c.transcript);
      return result(verdict.passed, verdict.reason);
    }
  }
}

/** Every expectation of a case, in order. */
export async function checkAll(expectations: Expectation[], c: Conversation, judge: Judge) {
  const checks: CheckResult[] = [];
  for (const e of expectations) checks.push(await check(e, c, judge));
  return checks;
}
