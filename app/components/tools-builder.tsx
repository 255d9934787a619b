import type { AgentTool } from "../../core/agent-tools";
import { FieldRows } from "./field-rows";
import { HttpToolCard } from "./http-tool-card";
import { useJsonBuilder } from "./json-builder";
import { JsonViewHeader } from "./json-view-header";
import { blankTool, type HttpToolModel, toolsFromJson, toolsToJson } from "./tools-model";
import { Button } from "./ui/button";
import { CheckboxField, Input, Select, Textarea } from "./ui/field";

const parse = (text: string) => {
  const r = toolsFromJson(text);
  return "problem" in r ? r : { model: r.tools };
};

/**
 * The agent's tools: the built-ins as cards with their own small forms, and the HTTP tools as
 * forms over the `httpTools` JSON the action has always parsed, the raw JSON one click away.
 */
export function ToolsBuilder({
  tools,
  typed,
  error,
}: {
  tools: AgentTool[];
  /** The refused form's own text, given back as typed. */
  typed?: string;
  error: (field: string) => React.ReactNode;
}) {
  const transfer = tools.find((t) => t.type === "transfer_call");
  const http = tools.filter((t) => t.type === "http");
  const b = useJsonBuilder(http.length ? JSON.stringify(http, null, 2) : (typed ?? ""), parse, toolsToJson);
  const setTool = (i: number, t: HttpToolModel) => b.model && b.edit(b.model.map((x, j) => (j === i ? t : x)));
  return (
    <fieldset>
      <legend>Tools</legend>
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="rounded-md border border-line bg-sunken px-3 pb-3">
          <CheckboxField
            name="endCallTool"
            value="on"
            defaultChecked={tools.some((t) => t.type === "end_call")}
            label="The agent may end the call"
            hint="When the conversation is over, or an end-call phrase is said."
          />
        </div>
        <div className="rounded-md border border-line bg-sunken px-3 pb-3">
          <CheckboxField
            name="dtmfTool"
            value="on"
            defaultChecked={tools.some((t) => t.type === "send_dtmf")}
            label="The agent may press keypad keys (DTMF), e.g. to work a phone menu"
          />
        </div>
        <div className="rounded-md border border-line bg-sunken px-3 pb-3 sm:col-span-2">
          <label htmlFor="transferNumber">Transfer to (E.164, empty = no transfers)</label>
          <Input
            id="transferNumber"
            name="transferNumber"
            type="tel"
            defaultValue={transfer?.type === "transfer_call" ? transfer.number : ""}
          />
          {error("transferNumber")}
          <label htmlFor="transferMode">Transfer style</label>
          <Select
            id="transferMode"
            name="transferMode"
            defaultValue={transfer?.type === "transfer_call" ? (transfer.mode ?? "cold") : "cold"}
          >
            <option value="cold">Cold: connect the caller straight away</option>
            <option value="warm">Warm: brief the person first, caller on hold</option>
          </Select>
        </div>
      </div>
      <JsonViewHeader title="HTTP tools" subject="HTTP tools" formsWord="forms" builder={b} className="mt-4" />
      {b.view === "json" || !b.model ? (
        <>
          <label htmlFor="httpTools">HTTP tools (JSON array)</label>
          <Textarea
            id="httpTools"
            name="httpTools"
            rows={6}
            value={b.text}
            onChange={(e) => b.editText(e.target.value)}
            placeholder='[{"type":"http","name":"check_hours","description":"…","parameters":{"type":"object"},"url":"https://…","method":"POST"}]'
          />
        </>
      ) : (
        <>
          <input type="hidden" name="httpTools" value={b.text} />
          {b.model.length === 0 && <p className="muted">No HTTP tools: the agent calls none of your services.</p>}
          {b.model.map((t, i) => (
            <HttpToolCard
              // biome-ignore lint/suspicious/noArrayIndexKey: tools have no identity but their place
              key={i}
              index={i}
              tool={t}
              onChange={(next) => setTool(i, next)}
              onRemove={() => b.edit(b.model!.filter((_, j) => j !== i))}
              params={
                <FieldRows
                  rows={t.params}
                  onChange={(params) => setTool(i, { ...t, params })}
                  label={(k) => `Tool ${i + 1} parameter ${k + 1}`}
                  addText="Add parameter"
                  noun="Parameter"
                />
              }
            />
          ))}
          <Button variant="secondary" size="sm" className="mt-2" onClick={() => b.edit([...b.model!, blankTool()])}>
            Add HTTP tool
          </Button>
        </>
      )}
      <p className="muted">
        Header values are kept encrypted and shown as ******** to everyone; leave one as it is to keep it. A tool moved
        to another address needs its header values entered again.
      </p>
      {error("httpTools")}
      {error("tools")}
    </fieldset>
  );
}
