import { blankHeader, type HeaderRow, type HttpToolModel } from "./tools-model";
import { Button } from "./ui/button";
import { Field, Input, Select } from "./ui/field";

const MASK = "********";

/** One HTTP tool's form: what the model sees (function, description, parameters) and how it is called. */
export function HttpToolCard({
  index,
  tool: t,
  onChange,
  onRemove,
  params,
}: {
  index: number;
  tool: HttpToolModel;
  onChange: (t: HttpToolModel) => void;
  onRemove: () => void;
  params: React.ReactNode;
}) {
  const n = `Tool ${index + 1}`;
  const setHeader = (k: number, patch: Partial<HeaderRow>) =>
    onChange({ ...t, headers: t.headers.map((h, j) => (j === k ? { ...h, ...patch } : h)) });
  return (
    <section className="mt-3 rounded-md border border-line bg-surface p-3" aria-label={n}>
      <div className="flex items-center justify-between gap-2">
        <h4 className="m-0 text-sm">
          {n}
          {t.name && `: ${t.name}`}
        </h4>
        <Button variant="ghost" size="sm" onClick={onRemove} aria-label={`Remove ${n}`}>
          Remove
        </Button>
      </div>
      <div className="grid gap-x-3 sm:grid-cols-2">
        <Field label="Function" hint="What the model calls it: letters, digits, _ and -">
          {(c) => (
            <Input
              {...c}
              value={t.name}
              required
              pattern="[a-zA-Z0-9_\-]{1,64}"
              onChange={(e) => onChange({ ...t, name: e.target.value })}
            />
          )}
        </Field>
        <Field label="Method">
          {(c) => (
            <Select
              {...c}
              value={t.method}
              onChange={(e) => onChange({ ...t, method: e.target.value as HttpToolModel["method"] })}
            >
              <option>POST</option>
              <option>GET</option>
            </Select>
          )}
        </Field>
      </div>
      <Field label="When the agent should use it">
        {(c) => (
          <Input
            {...c}
            value={t.description}
            required
            onChange={(e) => onChange({ ...t, description: e.target.value })}
          />
        )}
      </Field>
      <Field label="URL">
        {(c) => (
          <Input {...c} type="url" value={t.url} required onChange={(e) => onChange({ ...t, url: e.target.value })} />
        )}
      </Field>
      <h5 className="mt-3 mb-0 text-sm">Headers</h5>
      {t.headers.map((h, k) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: headers have no identity but their place
        <div key={k} className="mt-1 grid grid-cols-1 items-center gap-2 sm:grid-cols-[1fr_1.5fr_auto_auto]">
          <Input
            aria-label={`${n} header ${k + 1}`}
            placeholder="Authorization"
            value={h.name}
            required
            onChange={(e) => setHeader(k, { name: e.target.value })}
          />
          <Input
            aria-label={`${n} header ${k + 1} value`}
            type={h.secret ? "password" : "text"}
            autoComplete="off"
            placeholder={h.value === MASK ? "saved: leave to keep" : "value"}
            value={h.value}
            onChange={(e) => setHeader(k, { value: e.target.value })}
          />
          <label className="m-0 flex items-center gap-1 text-sm font-normal">
            <input
              type="checkbox"
              className="m-0"
              checked={h.secret}
              aria-label={`${n} header ${k + 1} secret`}
              onChange={(e) => setHeader(k, { secret: e.target.checked })}
            />
            <span aria-hidden>Secret</span>
          </label>
          <Button
            variant="ghost"
            size="sm"
            aria-label={`Remove ${n} header ${k + 1}`}
            onClick={() => onChange({ ...t, headers: t.headers.filter((_, j) => j !== k) })}
          >
            ✕
          </Button>
        </div>
      ))}
      <Button
        variant="secondary"
        size="sm"
        className="mt-2"
        onClick={() => onChange({ ...t, headers: [...t.headers, blankHeader()] })}
      >
        Add header
      </Button>
      <h5 className="mt-3 mb-0 text-sm">Parameters the model fills in</h5>
      {params}
    </section>
  );
}
