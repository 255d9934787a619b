import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { agentSchema } from "~/utils/agent-form";
import { dataSchemaFromJson, dataSchemaToJson } from "./data-schema-model";
import type { FieldRow } from "./schema-fields-model";
import { type HttpToolModel, toolsFromJson, toolsToJson } from "./tools-model";

const base = { name: "Desk", systemPrompt: "Answer the phone.", voice: "sandbox-alloy", model: "gpt-4o-mini" };
const text = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() === s && s.length > 0);
const fieldName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/);

/** Rows as the builder makes them: unique names, an "one of" field with its values, others with none. */
const fieldRows = fc.uniqueArray(
  fc.record({
    name: fieldName,
    type: fc.constantFrom("string", "number", "integer", "boolean", "enum"),
    description: fc.oneof(fc.constant(""), text),
    required: fc.boolean(),
    values: fc.array(text, { maxLength: 4 }),
  }),
  { selector: (r) => r.name, maxLength: 6 },
) as fc.Arbitrary<FieldRow[]>;
const rows = fieldRows.map((rs) => rs.map((r) => (r.type === "enum" ? r : { ...r, values: [] })));

const tool: fc.Arbitrary<HttpToolModel> = fc.record(
  {
    name: fc.stringMatching(/^[a-zA-Z0-9_-]{1,20}$/),
    description: text,
    url: fc.constantFrom("https://api.example.com/hours", "http://10.0.0.1:8080/x?y=1", "https://a.example/b/c"),
    method: fc.constantFrom("GET", "POST"),
    headers: fc.uniqueArray(
      fc.record({ name: fc.stringMatching(/^[A-Za-z-]{1,12}$/), value: text, secret: fc.constant(true) }),
      { selector: (h) => h.name, maxLength: 3 },
    ),
    params: rows,
    timeoutMs: fc.integer({ min: 100, max: 20_000 }),
  },
  { requiredKeys: ["name", "description", "url", "method", "headers", "params"] },
);
const tools = fc.uniqueArray(tool, { selector: (t) => t.name, maxLength: 4 });

describe("the tools builder's model", () => {
  it("round-trips any tools it makes through their JSON", () => {
    fc.assert(
      fc.property(tools, (ts) => {
        expect(toolsFromJson(toolsToJson(ts))).toEqual({ tools: ts });
      }),
    );
  });

  it("writes JSON the agent form's action takes, tool for tool", () => {
    fc.assert(
      fc.property(tools, (ts) => {
        const json = toolsToJson(ts);
        const agent = agentSchema.parse({ ...base, httpTools: json });
        expect(agent.tools).toEqual(json ? JSON.parse(json) : []);
      }),
      { numRuns: 60 },
    );
  });

  it("reads the tools saved before the builder, and hands a nested schema back to the JSON view", () => {
    const saved = [
      {
        type: "http",
        name: "hours",
        description: "Hours",
        parameters: { type: "object" },
        url: "https://a.b",
        method: "GET",
      },
    ];
    const read = toolsFromJson(JSON.stringify(saved));
    expect(read).toEqual({
      tools: [{ name: "hours", description: "Hours", url: "https://a.b", method: "GET", headers: [], params: [] }],
    });
    const nested = [{ ...saved[0], parameters: { type: "object", properties: { a: { type: "object" } } } }];
    expect(toolsFromJson(JSON.stringify(nested))).toEqual({ problem: expect.stringContaining("Tool 1") });
    expect(toolsFromJson("[{ not json")).toEqual({ problem: expect.stringContaining("not JSON") });
    expect(toolsFromJson('{"type":"http"}')).toEqual({ problem: "HTTP tools are a JSON array." });
    expect(toolsFromJson("  ")).toEqual({ tools: [] });
  });

  it("keeps a masked header value as the mask, which the server reads as keep-the-saved-one", () => {
    const t: HttpToolModel = {
      name: "crm",
      description: "CRM",
      url: "https://crm.example",
      method: "POST",
      headers: [{ name: "Authorization", value: "********", secret: true }],
      params: [],
    };
    expect(JSON.parse(toolsToJson([t]))[0].headers).toEqual({ Authorization: "********" });
  });
});

describe("the structured-data builder's model", () => {
  it("round-trips any fields it makes through the schema's JSON", () => {
    fc.assert(
      fc.property(rows, (fs) => {
        expect(dataSchemaFromJson(dataSchemaToJson(fs))).toEqual({ fields: fs });
      }),
    );
  });

  it("writes a schema the agent form's action saves unchanged", () => {
    fc.assert(
      fc.property(
        rows.filter((fs) => fs.length > 0),
        (fs) => {
          const json = dataSchemaToJson(fs);
          const agent = agentSchema.parse({ ...base, dataSchema: json });
          expect(agent.analysisPlan.dataSchema).toEqual(JSON.parse(json));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("leaves a schema the rows cannot say to the JSON view, with the reason", () => {
    const nested = { type: "object", properties: { address: { type: "object", properties: {} } } };
    expect(dataSchemaFromJson(JSON.stringify(nested))).toEqual({ problem: expect.stringContaining("nested") });
    const format = { type: "object", properties: { when: { type: "string", format: "date-time" } } };
    expect(dataSchemaFromJson(JSON.stringify(format))).toEqual({ problem: expect.any(String) });
    expect(dataSchemaFromJson("")).toEqual({ fields: [] });
    expect(dataSchemaToJson([])).toBe("");
  });
});
