import { type FieldRow, fieldsToSchema, schemaToFields } from "./schema-fields-model";

/**
 * The agent form's HTTP tools (the JSON array the `httpTools` field has always taken) as the rows
 * the tools builder edits, and back. `secret` only says whether the value is typed hidden: every
 * header value is stored encrypted and shown masked (db/tool-headers, docs/decisions/0051).
 */
export type HeaderRow = { name: string; value: string; secret: boolean };
export type HttpToolModel = {
  name: string;
  description: string;
  url: string;
  method: "GET" | "POST";
  headers: HeaderRow[];
  params: FieldRow[];
  timeoutMs?: number;
};

export const blankTool = (): HttpToolModel => ({
  name: "",
  description: "",
  url: "https://",
  method: "POST",
  headers: [],
  params: [],
});
export const blankHeader = (): HeaderRow => ({ name: "", value: "", secret: true });

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === "object" && !Array.isArray(v);
const keys = ["type", "name", "description", "parameters", "url", "method", "headers", "timeoutMs"];

export function toolsToJson(tools: HttpToolModel[]): string {
  if (!tools.length) return "";
  return JSON.stringify(
    tools.map((t) => ({
      type: "http",
      name: t.name,
      description: t.description,
      parameters: fieldsToSchema(t.params),
      url: t.url,
      method: t.method,
      ...(t.headers.length ? { headers: Object.fromEntries(t.headers.map((h) => [h.name, h.value])) } : {}),
      ...(t.timeoutMs === undefined ? {} : { timeoutMs: t.timeoutMs }),
    })),
    null,
    2,
  );
}

function toolFromJson(t: unknown): HttpToolModel | null {
  if (!isObject(t) || t.type !== "http" || !Object.keys(t).every((k) => keys.includes(k))) return null;
  const { name, description, url, method, headers = {}, timeoutMs } = t;
  if (typeof name !== "string" || typeof description !== "string" || typeof url !== "string") return null;
  if (method !== "GET" && method !== "POST") return null;
  if (!isObject(headers) || !Object.values(headers).every((v) => typeof v === "string")) return null;
  if (timeoutMs !== undefined && typeof timeoutMs !== "number") return null;
  const params = schemaToFields(t.parameters);
  if (!params) return null;
  return {
    name,
    description,
    url,
    method,
    headers: Object.entries(headers as Record<string, string>).map(([n, value]) => ({ name: n, value, secret: true })),
    params,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
}

/**
 * The field's text as tools, or why the builder cannot show it: text that is not JSON, not an
 * array, or a tool with more than the forms can say (its raw JSON is then the way to edit it).
 */
export function toolsFromJson(text: string): { tools: HttpToolModel[] } | { problem: string } {
  if (!text.trim()) return { tools: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: "This is not JSON yet: fix it here, then go back to the forms." };
  }
  if (!Array.isArray(parsed)) return { problem: "HTTP tools are a JSON array." };
  const tools: HttpToolModel[] = [];
  for (const [i, t] of parsed.entries()) {
    const tool = toolFromJson(t);
    if (!tool)
      return { problem: `Tool ${i + 1} has settings the forms cannot show (nested parameters?): edit it here.` };
    tools.push(tool);
  }
  return { tools };
}
