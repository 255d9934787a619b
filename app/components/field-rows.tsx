import { useState } from "react";
import { blankField, type FieldRow, fieldTypes, parseValues, valuesText } from "./schema-fields-model";
import { Button } from "./ui/button";
import { Input, Select } from "./ui/field";

const typeLabels = { string: "Text", number: "Number", integer: "Whole number", boolean: "Yes/no", enum: "One of…" };

/**
 * Rows of named fields (a tool's parameters, the data to extract): each named, typed, described,
 * maybe required; an "One of…" field lists its values. `label` names each row for screen readers.
 */
export function FieldRows({
  rows,
  onChange,
  label,
  addText,
  noun = "Field",
}: {
  rows: FieldRow[];
  onChange: (rows: FieldRow[]) => void;
  label: (index: number) => string;
  addText: string;
  /** What a row is, above the first column. */
  noun?: string;
}) {
  const set = (i: number, patch: Partial<FieldRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className="mt-2">
      {rows.length > 0 && (
        <div className="hidden grid-cols-[1fr_8rem_1.5fr_auto_auto] gap-2 text-xs text-muted sm:grid" aria-hidden>
          <span>{noun}</span>
          <span>Type</span>
          <span>Description</span>
          <span />
          <span />
        </div>
      )}
      {rows.map((r, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
        <div key={i} className="mt-1 grid grid-cols-1 items-center gap-2 sm:grid-cols-[1fr_8rem_1.5fr_auto_auto]">
          <Input
            aria-label={label(i)}
            value={r.name}
            required
            pattern="[A-Za-z_][A-Za-z0-9_]{0,63}"
            title="Letters, digits and _"
            onChange={(e) => set(i, { name: e.target.value })}
          />
          <Select
            aria-label={`${label(i)} type`}
            value={r.type}
            onChange={(e) => set(i, { type: e.target.value as FieldRow["type"] })}
          >
            {fieldTypes.map((t) => (
              <option key={t} value={t}>
                {typeLabels[t]}
              </option>
            ))}
          </Select>
          <Input
            aria-label={`${label(i)} description`}
            value={r.description}
            onChange={(e) => set(i, { description: e.target.value })}
          />
          <label className="m-0 flex items-center gap-1 font-normal text-sm">
            <input
              type="checkbox"
              className="m-0"
              checked={r.required}
              onChange={(e) => set(i, { required: e.target.checked })}
              aria-label={`${label(i)} required`}
            />
            <span aria-hidden>Required</span>
          </label>
          <Button
            variant="ghost"
            size="sm"
            aria-label={`Remove ${label(i)}`}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            ✕
          </Button>
          {r.type === "enum" && (
            <EnumValues label={`${label(i)} values`} values={r.values} onChange={(values) => set(i, { values })} />
          )}
        </div>
      ))}
      <Button variant="secondary" size="sm" className="mt-2" onClick={() => onChange([...rows, blankField()])}>
        {addText}
      </Button>
    </div>
  );
}

/** Values typed as one comma-separated line; the text is kept as typed, the values parsed from it. */
function EnumValues({ label, values, onChange }: { label: string; values: string[]; onChange: (v: string[]) => void }) {
  const [text, setText] = useState(valuesText(values));
  return (
    <Input
      aria-label={label}
      placeholder="Values, separated by commas"
      className="sm:col-span-5"
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parseValues(e.target.value));
      }}
    />
  );
}
