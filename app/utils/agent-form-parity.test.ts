import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { agentColumns, agentLimits as L, languages, models } from "../../core/agents/agent-input";
import { turnTakingLimits } from "../../core/agents/turn-taking";
import { AgentInputSchema } from "../api/schemas";
import { agentSchema } from "./agent-form";

type Body = Record<string, unknown> & {
  tools: Record<string, unknown>[];
  endCallPhrases: string[];
  analysisPlan: Record<string, unknown>;
};

/** What a person would type into the portal's agent form to send the same agent as this API body. */
function asForm(b: Body): Record<string, unknown> {
  const transfer = b.tools.find((t) => t.type === "transfer_call");
  const http = b.tools.filter((t) => t.type === "http");
  const { summaryPrompt, dataSchema, successRubric } = b.analysisPlan;
  return {
    ...b,
    temperature: String(b.temperature),
    interruptionSensitivity: String(b.interruptionSensitivity),
    maxDurationSeconds: String(b.maxDurationSeconds),
    silenceTimeoutSeconds: String(b.silenceTimeoutSeconds),
    endCallPhrases: b.endCallPhrases.join("\n"),
    tools: undefined,
    endCallTool: b.tools.some((t) => t.type === "end_call") ? "on" : undefined,
    dtmfTool: b.tools.some((t) => t.type === "send_dtmf") ? "on" : undefined,
    transferNumber: transfer?.number ?? "",
    transferMode: transfer?.mode ?? "cold",
    httpTools: http.length ? JSON.stringify(http) : "",
    recordCalls: b.recordCalls ? "on" : undefined,
    recordingDisclosure: b.recordingDisclosure ?? "",
    analysisPlan: undefined,
    summaryPrompt: summaryPrompt ?? "",
    dataSchema: dataSchema === undefined ? "" : JSON.stringify(dataSchema),
    successRubric: successRubric ?? "",
    turnTaking: undefined,
    ...Object.fromEntries(Object.entries(b.turnTaking ?? {}).map(([k, v]) => [k, String(v)])),
  };
}

/** Text around a limit: empty, blank, just under, at and just over it, sometimes padded with spaces. */
const around = (max: number) =>
  fc
    .oneof(fc.constantFrom(0, 1, max - 1, max, max + 1), fc.integer({ min: 0, max: max + 2 }))
    .chain((n) =>
      fc
        .tuple(fc.constantFrom("a", "é", " x"), fc.boolean())
        .map(([c, pad]) => `${pad ? "  " : ""}${c.repeat(Math.ceil(n / c.length)).slice(0, n)}${pad ? " " : ""}`),
    );
const range = ({ min, max }: { min: number; max: number }, integer: boolean) =>
  fc.oneof(
    fc.constantFrom(min, max, min - 1, max + 1, min - 0.01, max + 0.01, (min + max) / 2 + 0.5),
    integer ? fc.integer({ min: min - 2, max: max + 2 }) : fc.double({ min: min - 1, max: max + 1, noNaN: true }),
  );
/** A list around a limit on its length. */
const listAround = <T>(item: fc.Arbitrary<T>, max: number) =>
  fc
    .oneof(fc.constantFrom(0, max - 1, max, max + 1), fc.nat(max + 1))
    .chain((n) => fc.array(item, { minLength: n, maxLength: n }));
const oneOf = (valid: readonly string[]) =>
  fc.oneof(fc.constantFrom(...valid), fc.constantFrom("", "gpt-5", "EN", " en"));
// Phrases and origins as a person types them: no separators inside, none blank (the form skips blank lines).
const phrase = around(L.endCallPhrase).filter((p) => p.trim() !== "");
const soundTool = {
  type: "http",
  name: "check_hours",
  description: "Opening hours",
  parameters: { type: "object" },
  url: "https://api.example.com/hours",
  method: "GET",
};
const httpTool = fc.oneof(
  { weight: 4, arbitrary: fc.constant(soundTool) },
  {
    weight: 1,
    arbitrary: fc
      .record({
        name: fc.constantFrom("check_hours", "bad name"),
        description: around(L.toolDescription).filter((d) => d.length > 0),
        url: fc.constantFrom("https://api.example.com/x", "ftp://x.example"),
      })
      .map((t) => ({ ...soundTool, ...t })),
  },
);
const tools = fc
  .tuple(
    fc.boolean(),
    fc.boolean(),
    fc.option(
      fc.record({
        type: fc.constant("transfer_call"),
        number: fc.constantFrom("+14155550100", "555-0100"),
        mode: fc.constantFrom("cold", "warm"),
      }),
      { nil: undefined },
    ),
    listAround(httpTool, L.tools - 1),
  )
  .map(([end, dtmf, transfer, http]) => [
    ...(end ? [{ type: "end_call" }] : []),
    ...(dtmf ? [{ type: "send_dtmf" }] : []),
    ...(transfer ? [transfer] : []),
    ...http,
  ]);
const dataSchema = fc.option(
  fc.constantFrom(
    { type: "object", properties: { name: { type: "string" } } },
    { type: "object", properties: {} },
    { type: "array" },
  ),
  { nil: undefined },
);

const edges: Record<string, fc.Arbitrary<unknown>> = {
  name: around(L.name),
  systemPrompt: around(L.systemPrompt),
  firstMessage: around(L.firstMessage),
  voice: fc.constantFrom(
    "sandbox-alloy",
    " sandbox-verse ",
    "eleven_abc-1",
    "<script>",
    "v".repeat(64),
    "v".repeat(65),
  ),
  model: oneOf(models),
  mode: oneOf(["cascade", "speech_to_speech"]),
  language: oneOf(languages),
  temperature: range(L.temperature, false),
  interruptionSensitivity: range(L.interruptionSensitivity, false),
  maxDurationSeconds: range(L.maxDurationSeconds, true),
  silenceTimeoutSeconds: range(L.silenceTimeoutSeconds, true),
  endCallPhrases: listAround(phrase, L.endCallPhrases),
  tools,
  recordCalls: fc.boolean(),
  recordingDisclosure: fc.option(around(L.recordingDisclosure), { nil: null }),
  knowledgeBaseIds: listAround(
    fc.oneof({ weight: 9, arbitrary: fc.uuid() }, { weight: 1, arbitrary: fc.constant("not-a-kb") }),
    L.knowledgeBases,
  ),
  retrievalMode: oneOf(["auto", "tool"]),
  analysisPlan: fc.record(
    { summaryPrompt: around(L.analysisText), dataSchema, successRubric: around(L.analysisText) },
    { requiredKeys: [] },
  ),
  turnTaking: fc.record(
    Object.fromEntries(
      Object.entries(turnTakingLimits).map(([k, limit]) => [k, range(limit, k !== "echoMargin")]),
    ) as Record<keyof typeof turnTakingLimits, fc.Arbitrary<number>>,
    { requiredKeys: [] },
  ),
};
const base: Body = {
  name: "Desk",
  systemPrompt: "Answer.",
  firstMessage: "",
  voice: "sandbox-alloy",
  model: "gpt-4o-mini",
  mode: "cascade",
  language: "en",
  temperature: 0.7,
  interruptionSensitivity: 0.5,
  maxDurationSeconds: 1800,
  silenceTimeoutSeconds: 20,
  endCallPhrases: [],
  tools: [],
  recordCalls: false,
  recordingDisclosure: null,
  knowledgeBaseIds: [],
  retrievalMode: "auto",
  analysisPlan: {},
  turnTaking: {},
};
// A sound agent with one to three settings taken to (or past) their limits: refusals have one cause, so "both refuse" means something.
const agentBody = fc
  .uniqueArray(fc.constantFrom(...Object.keys(edges)), { minLength: 1, maxLength: 3 })
  .chain((keys) => fc.record(Object.fromEntries(keys.map((k) => [k, edges[k]!]))))
  .map((changes) => ({ ...base, ...changes }) as Body);

describe("an agent through the API and through the portal's form", () => {
  it("is accepted by both or refused by both, and accepted, is the same agent", () => {
    let accepted = 0;
    fc.assert(
      fc.property(agentBody, (body) => {
        const api = AgentInputSchema.safeParse(body);
        const form = agentSchema.safeParse(asForm(body));
        accepted += api.success ? 1 : 0;
        expect(form.success, JSON.stringify({ api: api.error?.issues[0], form: form.error?.issues[0] })).toBe(
          api.success,
        );
        if (api.success)
          expect(form.data).toEqual(
            agentColumns({ ...api.data, recordingDisclosure: api.data.recordingDisclosure || null }),
          );
      }),
      { numRuns: 600 },
    );
    // Both outcomes are met often, or the property would prove little.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(500);
  });

  it("meets each limit at the same place", () => {
    const both = (change: Partial<Body>) => [
      AgentInputSchema.safeParse({ ...base, ...change }).success,
      agentSchema.safeParse(asForm({ ...base, ...change })).success,
    ];
    const text = (n: number) => "x".repeat(n);
    const cases: [Partial<Body>, Partial<Body>][] = [
      [{ name: text(L.name) }, { name: text(L.name + 1) }],
      [{ systemPrompt: text(L.systemPrompt) }, { systemPrompt: text(L.systemPrompt + 1) }],
      [{ firstMessage: text(L.firstMessage) }, { firstMessage: text(L.firstMessage + 1) }],
      [{ temperature: L.temperature.max }, { temperature: L.temperature.max + 0.01 }],
      [{ interruptionSensitivity: L.interruptionSensitivity.min }, { interruptionSensitivity: -0.01 }],
      [{ maxDurationSeconds: L.maxDurationSeconds.min }, { maxDurationSeconds: L.maxDurationSeconds.min - 1 }],
      [{ maxDurationSeconds: L.maxDurationSeconds.max }, { maxDurationSeconds: L.maxDurationSeconds.max + 1 }],
      [
        { silenceTimeoutSeconds: L.silenceTimeoutSeconds.max },
        { silenceTimeoutSeconds: L.silenceTimeoutSeconds.max + 1 },
      ],
      [
        { endCallPhrases: Array(L.endCallPhrases).fill("bye") },
        { endCallPhrases: Array(L.endCallPhrases + 1).fill("bye") },
      ],
      [{ endCallPhrases: [text(L.endCallPhrase)] }, { endCallPhrases: [text(L.endCallPhrase + 1)] }],
      [
        {
          tools: [
            { type: "end_call" },
            ...Array(L.tools - 1).fill({
              type: "http",
              name: "t",
              description: "d",
              parameters: {},
              url: "https://x.example",
              method: "GET",
            }),
          ],
        },
        {
          tools: [
            { type: "end_call" },
            ...Array(L.tools).fill({
              type: "http",
              name: "t",
              description: "d",
              parameters: {},
              url: "https://x.example",
              method: "GET",
            }),
          ],
        },
      ],
      [{ recordingDisclosure: text(L.recordingDisclosure) }, { recordingDisclosure: text(L.recordingDisclosure + 1) }],
      [
        { knowledgeBaseIds: Array(L.knowledgeBases).fill("0b6f3c4e-6a8e-4c3e-9d0a-2a8c1f0e7b11") },
        { knowledgeBaseIds: Array(L.knowledgeBases + 1).fill("0b6f3c4e-6a8e-4c3e-9d0a-2a8c1f0e7b11") },
      ],
      [
        { analysisPlan: { summaryPrompt: text(L.analysisText) } },
        { analysisPlan: { successRubric: text(L.analysisText + 1) } },
      ],
    ];
    for (const [at, over] of cases) {
      expect(both(at), JSON.stringify(at).slice(0, 80)).toEqual([true, true]);
      expect(both(over), JSON.stringify(over).slice(0, 80)).toEqual([false, false]);
    }
  });

  it("shows the portal's own words on the form's own fields", () => {
    const issues = (change: Record<string, unknown>) =>
      agentSchema
        .safeParse({ name: "Desk", systemPrompt: "Answer.", voice: "sandbox-alloy", model: "gpt-4o-mini", ...change })
        .error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(issues({ name: " " })).toEqual(["name: Give the agent a name"]);
    expect(
      issues({
        endCallPhrases: Array(L.endCallPhrases + 1)
          .fill("bye")
          .join("\n"),
      }),
    ).toEqual([`endCallPhrases: At most ${L.endCallPhrases} end-call phrases`]);
    expect(issues({ endCallPhrases: "x".repeat(L.endCallPhrase + 1) })).toEqual([
      `endCallPhrases: An end-call phrase is at most ${L.endCallPhrase} characters`,
    ]);
    expect(issues({ knowledgeBaseIds: ["kb"] })).toEqual(["knowledgeBaseIds: Choose among your own knowledge bases."]);
    expect(issues({ successRubric: "x".repeat(L.analysisText + 1) })![0]).toMatch(/^successRubric: /);
    expect(issues({ dataSchema: "[]" })).toEqual(["dataSchema: The schema must be a JSON object"]);
    // Problems in several fields are all named at once, the form's own fields among them.
    expect(issues({ name: "", httpTools: "[{", transferNumber: "555" })).toEqual([
      "httpTools: HTTP tools must be a JSON array",
      "name: Give the agent a name",
      "transferNumber: Use E.164, like +14155550100",
    ]);
  });
});
