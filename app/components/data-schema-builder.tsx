import { dataSchemaFromJson, dataSchemaToJson } from "./data-schema-model";
import { FieldRows } from "./field-rows";
import { useJsonBuilder } from "./json-builder";
import { JsonViewHeader } from "./json-view-header";
import { Textarea } from "./ui/field";

const parse = (text: string) => {
  const r = dataSchemaFromJson(text);
  return "problem" in r ? r : { model: r.fields };
};

/**
 * The structured data to extract after each call, as field rows over the `dataSchema` JSON schema
 * the action has always validated; a schema the rows cannot say stays in the JSON view, with a note.
 */
export function DataSchemaBuilder({ initial, error }: { initial: string; error?: React.ReactNode }) {
  const b = useJsonBuilder(initial, parse, dataSchemaToJson);
  return (
    <div className="mt-3">
      <JsonViewHeader title="Structured data" subject="structured data" formsWord="fields" builder={b} />
      {b.view === "json" || !b.model ? (
        <>
          <label htmlFor="dataSchema">Structured data (a JSON schema of the fields to extract)</label>
          <Textarea
            id="dataSchema"
            name="dataSchema"
            rows={4}
            value={b.text}
            onChange={(e) => b.editText(e.target.value)}
            placeholder='{"type":"object","properties":{"name":{"type":"string"},"appointmentTime":{"type":"string","description":"ISO 8601"}}}'
          />
        </>
      ) : (
        <>
          <input type="hidden" name="dataSchema" value={b.text} />
          {b.model.length === 0 && <p className="muted">No fields: each call gets a summary only.</p>}
          <FieldRows rows={b.model} onChange={b.edit} label={(i) => `Field ${i + 1}`} addText="Add field" />
        </>
      )}
      {error}
    </div>
  );
}
