/** What the post-call analysis produces for this agent's calls, besides a summary. */
export type AnalysisPlan = {
  /** Replaces the default instruction for the summary. */
  summaryPrompt?: string;
  /** A JSON schema (type object) of the fields to extract from each call. */
  dataSchema?: Record<string, unknown>;
  /** What a successful call looks like; without one, success is not evaluated. */
  successRubric?: string;
};

export type Transcript = { speaker: string; text: string }[];
export type AnalysisOutcome = {
  summary: string;
  data: Record<string, unknown> | null;
  success: boolean | null;
  successReason: string | null;
};
export class AnalysisFormatError extends Error {}

const fieldTypes = ["string", "number", "integer", "boolean"] as const;
type FieldType = (typeof fieldTypes)[number];
type Field = { type: FieldType; description?: string; enum?: unknown[] };

export const DEFAULT_SUMMARY_PROMPT =
  "Summarise the call in two or three sentences: who called, what they wanted, and how it ended.";

/**
 * Checks a tenant's structured-data schema when it is saved: an object of named fields, each a
 * string, number, integer or boolean (with an optional description and enum). Returns the first
 * problem in words, or null.
 */
export function dataSchemaProblem(schema: unknown): string | null {
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return "The schema must be a JSON object";
  const s = schema as { type?: unknown; properties?: unknown };
  if (s.type !== "object") return 'The schema\'s "type" must be "object"';
  if (!s.properties || typeof s.properties !== "object" || Array.isArray(s.properties))
    return 'The schema needs "properties": the fields to extract';
  const entries = Object.entries(s.properties as Record<string, unknown>);
  if (!entries.length) return "Name at least one field under properties";
  if (entries.length > 30) return "At most 30 fields";
  for (const [name, field] of entries) {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return `Field "${name}": names are letters, digits and _`;
    const type = (field as { type?: unknown })?.type;
    if (!fieldTypes.includes(type as FieldType)) return `Field "${name}": type must be one of ${fieldTypes.join(", ")}`;
  }
  return null;
}

const fieldsOf = (plan: AnalysisPlan) => Object.entries((plan.dataSchema?.properties ?? {}) as Record<string, Field>);

/** What the model is asked to return: one JSON object, shaped by the agent's plan. */
export function responseSchema(plan: AnalysisPlan) {
  const fields = fieldsOf(plan);
  const properties: Record<string, unknown> = { summary: { type: "string" } };
  if (fields.length)
    properties.data = {
      type: "object",
      properties: Object.fromEntries(fields.map(([name, f]) => [name, { ...f, type: [f.type, "null"] }])),
      required: fields.map(([name]) => name),
      additionalProperties: false,
    };
  if (plan.successRubric?.trim())
    properties.success = {
      type: "object",
      properties: { passed: { type: "boolean" }, reason: { type: "string" } },
      required: ["passed", "reason"],
      additionalProperties: false,
    };
  return { type: "object", properties, required: Object.keys(properties), additionalProperties: false };
}

/** The instruction and the transcript, as chat messages for one completion. */
export function analysisMessages(plan: AnalysisPlan, transcript: Transcript) {
  const asks = [`"summary": ${plan.summaryPrompt?.trim() || DEFAULT_SUMMARY_PROMPT}`];
  if (fieldsOf(plan).length)
    asks.push('"data": the fields described by the schema, taken from what was said; null where the call did not say.');
  if (plan.successRubric?.trim())
    asks.push(
      `"success": whether the call met this rubric, with a one-sentence reason. Rubric: ${plan.successRubric.trim()}`,
    );
  const lines = transcript.map((t) => `${t.speaker === "caller" ? "Caller" : "Agent"}: ${t.text}`).join("\n");
  return [
    {
      role: "system" as const,
      content: `You analyse phone calls between an AI agent and a caller. Answer with one JSON object:\n${asks.join("\n")}`,
    },
    { role: "user" as const, content: `Transcript:\n${lines}` },
  ];
}

const fits = (type: FieldType, v: unknown) =>
  v === null ||
  (type === "integer"
    ? Number.isInteger(v)
    : type === "number"
      ? typeof v === "number" && Number.isFinite(v)
      : typeof v === type);

/** The model's answer, checked against the plan: a field of the wrong type is an error (the job retries). */
export function parseAnalysis(text: string, plan: AnalysisPlan): AnalysisOutcome {
  let raw: { summary?: unknown; data?: Record<string, unknown>; success?: { passed?: unknown; reason?: unknown } };
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AnalysisFormatError("the model's answer is not JSON");
  }
  if (typeof raw.summary !== "string" || !raw.summary.trim())
    throw new AnalysisFormatError("the answer has no summary");
  const fields = fieldsOf(plan);
  let data: Record<string, unknown> | null = null;
  if (fields.length) {
    data = {};
    for (const [name, f] of fields) {
      const v = raw.data?.[name] ?? null;
      if (!fits(f.type, v)) throw new AnalysisFormatError(`field ${name} is not a ${f.type}`);
      data[name] = v;
    }
  }
  const rubric = Boolean(plan.successRubric?.trim());
  if (rubric && typeof raw.success?.passed !== "boolean")
    throw new AnalysisFormatError("the answer has no success evaluation");
  return {
    summary: raw.summary.trim(),
    data,
    success: rubric ? (raw.success!.passed as boolean) : null,
    successReason: rubric && typeof raw.success?.reason === "string" ? raw.success.reason : null,
  };
}
