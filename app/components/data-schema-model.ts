import { type FieldRow, fieldsToSchema, schemaToFields } from "./schema-fields-model";

/** The structured-data schema's text as the builder's rows (none: no schema), and back. */
export const dataSchemaToJson = (rows: FieldRow[]) =>
  rows.length ? JSON.stringify(fieldsToSchema(rows), null, 2) : "";

export function dataSchemaFromJson(text: string): { fields: FieldRow[] } | { problem: string } {
  if (!text.trim()) return { fields: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: "This is not JSON yet: fix it here, then go back to the fields." };
  }
  const fields = schemaToFields(parsed);
  return fields
    ? { fields }
    : { problem: "This schema says more than the field rows can (nested objects, formats…): edit it here." };
}
