import { describe, expect, it } from "vitest";
import { AnalysisFormatError, analysisMessages, dataSchemaProblem, parseAnalysis, responseSchema } from "./plan";

const plan = {
  dataSchema: {
    type: "object",
    properties: { name: { type: "string" }, partySize: { type: "integer" }, vip: { type: "boolean" } },
  },
  successRubric: "A table was booked.",
};

describe("post-call analysis plan", () => {
  it("refuses schemas it cannot ask a model for, naming the problem", () => {
    expect(dataSchemaProblem([])).toMatch(/JSON object/);
    expect(dataSchemaProblem({ type: "array" })).toMatch(/"object"/);
    expect(dataSchemaProblem({ type: "object", properties: {} })).toMatch(/at least one field/);
    expect(dataSchemaProblem({ type: "object", properties: { "bad name": { type: "string" } } })).toMatch(/bad name/);
    expect(dataSchemaProblem({ type: "object", properties: { when: { type: "date" } } })).toMatch(/when.*type must be/);
    expect(dataSchemaProblem(plan.dataSchema)).toBeNull();
  });

  it("asks for only what the plan names", () => {
    expect(responseSchema({}).required).toEqual(["summary"]);
    const schema = responseSchema(plan);
    expect(schema.required).toEqual(["summary", "data", "success"]);
    expect(
      (schema.properties.data as { properties: Record<string, { type: string[] }> }).properties.partySize!.type,
    ).toEqual(["integer", "null"]);
    const [system, user] = analysisMessages(plan, [
      { speaker: "caller", text: "Table for 4" },
      { speaker: "agent", text: "Booked." },
    ]);
    expect(system!.content).toContain("Rubric: A table was booked.");
    expect(user!.content).toBe("Transcript:\nCaller: Table for 4\nAgent: Booked.");
  });

  it("reads a good answer and refuses a malformed one", () => {
    const good = JSON.stringify({
      summary: "Ann booked.",
      data: { name: "Ann", partySize: 4, vip: null },
      success: { passed: true, reason: "Booked for 4." },
    });
    expect(parseAnalysis(good, plan)).toEqual({
      summary: "Ann booked.",
      data: { name: "Ann", partySize: 4, vip: null },
      success: true,
      successReason: "Booked for 4.",
    });
    expect(parseAnalysis(JSON.stringify({ summary: "Hi." }), {})).toEqual({
      summary: "Hi.",
      data: null,
      success: null,
      successReason: null,
    });
    expect(() => parseAnalysis("not json", plan)).toThrow(AnalysisFormatError);
    expect(() =>
      parseAnalysis(JSON.stringify({ summary: "x", data: { partySize: 4.5 }, success: { passed: true } }), plan),
    ).toThrow(/partySize is not a integer/);
    expect(() => parseAnalysis(JSON.stringify({ summary: "x", data: {} }), plan)).toThrow(/no success evaluation/);
    expect(() => parseAnalysis(JSON.stringify({ summary: " " }), {})).toThrow(/no summary/);
  });
});
