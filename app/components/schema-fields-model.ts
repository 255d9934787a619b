/**
 * A flat JSON schema of named fields (an HTTP tool's parameters, the structured data to extract)
 * as rows a form edits, and back. Only what the rows can say is read: anything else (nested
 * objects, arrays, formats) is `null`, and the form shows the raw JSON instead.
 */
export const fieldTypes = ["string", "number", "integer", "boolean", "enum"] as const;
export type FieldType = (typeof fieldTypes)[number];
export type FieldRow = { name: string; type: FieldType; description: string; required: boolean; values: string[] };

export const blankField = (): FieldRow => ({ name: "", type: "string", description: "", required: false, values: [] });

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === "object" && !Array.isArray(v);
const only = (o: Json, keys: string[]) => Object.keys(o).every((k) => keys.includes(k));

/** The rows as `{type:"object", properties, required?}`. */
export function fieldsToSchema(rows: FieldRow[]): Json {
  const properties = Object.fromEntries(
    rows.map((r) => [
      r.name,
      {
        type: r.type === "enum" ? "string" : r.type,
        ...(r.description ? { description: r.description } : {}),
        ...(r.type === "enum" ? { enum: r.values } : {}),
      },
    ]),
  );
  const required = rows.filter((r) => r.required).map((r) => r.name);
  return { type: "object", properties, ...(required.length ? { required } : {}) };
}

/** The schema's fields as rows, or null when the rows cannot say all of it. */
export function schemaToFields(schema: unknown): FieldRow[] | null {
  if (!isObject(schema) || schema.type !== "object" || !only(schema, ["type", "properties", "required"])) return null;
  const properties = schema.properties ?? {};
  const required = schema.required ?? [];
  if (!isObject(properties) || !Array.isArray(required)) return null;
  if (!required.every((n) => typeof n === "string" && n in properties)) return null;
  if (new Set(required).size !== required.length) return null;
  const rows: FieldRow[] = [];
  for (const [name, p] of Object.entries(properties)) {
    if (!isObject(p) || !only(p, ["type", "description", "enum"])) return null;
    if (p.description !== undefined && (typeof p.description !== "string" || p.description === "")) return null;
    const description = (p.description as string | undefined) ?? "";
    const isRequired = required.includes(name);
    if (p.enum !== undefined) {
      if (p.type !== "string" || !Array.isArray(p.enum) || !p.enum.every((v) => typeof v === "string")) return null;
      rows.push({ name, type: "enum", description, required: isRequired, values: p.enum as string[] });
      continue;
    }
    if (!["string", "number", "integer", "boolean"].includes(p.type as string)) return null;
    rows.push({ name, type: p.type as FieldType, description, required: isRequired, values: [] });
  }
  return rows;
}

/** Enum values as one comma-separated line, the way the form edits them. */
export const valuesText = (values: string[]) => values.join(", ");
export const parseValues = (text: string) =>
  text
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
